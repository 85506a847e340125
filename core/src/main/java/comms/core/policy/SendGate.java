package comms.core.policy;

import comms.core.send.Gate;

/**
 * One policy gate of a send: its name in previews, the rule or law it stands for, and its judgement of
 * one message. Gates run in the order {@link StandardGates} lists them; adding a gate is writing one
 * class and registering it there (or passing it to the previewer), with no change to the previewer.
 */
public interface SendGate {
  /** The gate's name in a preview's gates[] (the stable machine interface). */
  String name();

  /** What the gate enforces, in a sentence a person can look up (a policy key, a law, an RFC). */
  String cites();

  /** Judges the message in {@code m}; a gate may also adjust it (the STOP footer) or defer it (quiet hours). */
  Gate evaluate(GateContext m);
}
