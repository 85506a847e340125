package comms.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a command that, given {@code --execute}, asks for a literal {@code yes} on stdin before its side
 * effect. Every mutating command carries it; {@code comms verify} checks it against the capability
 * registry's {@code approval: manual} and against the command having an {@code --execute} option.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ApprovalGated {}
