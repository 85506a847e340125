package comms.cli.commands;

/**
 * Marks a command that changes something and so asks for manual approval on stdin (with
 * --execute). `comms verify` checks the capability registry's approval modes against this marker.
 */
public interface ApprovalGated {}
