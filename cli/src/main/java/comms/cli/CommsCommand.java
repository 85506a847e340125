package comms.cli;

import comms.cli.commands.status.AuditCommand;
import comms.cli.commands.replies.MailSimulateInboundCommand;
import comms.cli.commands.replies.RepliesStatusCommand;
import comms.cli.commands.replies.RepliesSyncCommand;
import comms.cli.commands.replies.EngagementIngestCommand;
import comms.cli.commands.replies.EngagementStatusCommand;
import comms.cli.commands.serve.AuthTokenCommand;
import comms.cli.commands.serve.DashboardOpenCommand;
import comms.cli.commands.serve.ServeCommand;
import comms.cli.commands.sequence.SequenceCreateCommand;
import comms.cli.commands.sequence.SequenceEditCommand;
import comms.cli.commands.sequence.SequenceAddRecipientsCommand;
import comms.cli.commands.verify.WalkthroughCommand;
import comms.cli.commands.sequence.SequenceListCommand;
import comms.cli.commands.sequence.SequenceShowCommand;
import comms.cli.commands.sequence.SequenceRecipientsCommand;
import comms.cli.commands.sequence.SequenceLaunchCommand;
import comms.cli.commands.sequence.SequencePauseCommand;
import comms.cli.commands.sequence.SequenceResumeCommand;
import comms.cli.commands.sequence.SequenceStopCommand;
import comms.cli.commands.sequence.SequenceRunCommand;
import comms.cli.commands.snippet.SnippetCosignCommand;
import comms.cli.commands.snippet.SnippetCreateCommand;
import comms.cli.commands.snippet.SnippetEditCommand;
import comms.cli.commands.snippet.SnippetListCommand;
import comms.cli.commands.snippet.SnippetSearchCommand;
import comms.cli.commands.snippet.SnippetShowCommand;
import comms.cli.commands.sequence.ApprovalConfirmCommand;
import comms.cli.commands.sequence.ApprovalRequestCommand;
import comms.cli.commands.sequence.ApprovalIssueCommand;
import comms.cli.commands.status.CapCommand;
import comms.cli.commands.verify.CertifyCommand;
import comms.cli.commands.replies.RepliesWatchCommand;
import comms.cli.commands.CompletionCommand;
import comms.cli.commands.status.DeliveryLogCommand;
import comms.cli.commands.status.MailSearchCommand;
import comms.cli.commands.status.MailboxesListCommand;
import comms.cli.commands.status.PolicyStatusCommand;
import comms.cli.commands.status.ProviderStatusCommand;
import comms.cli.commands.status.ReceiptsListCommand;
import comms.cli.commands.status.ReceiptsShowCommand;
import comms.cli.commands.consent.ConsentRecordCommand;
import comms.cli.commands.send.InboundSmsCommand;
import comms.cli.commands.infra.InfraVmBootstrapCommand;
import comms.cli.commands.infra.InfraVmProvisionCommand;
import comms.cli.commands.send.MailSendTestCommand;
import comms.cli.commands.operators.OperatorsAddCommand;
import comms.cli.commands.operators.OperatorsListCommand;
import comms.cli.commands.operators.OperatorsUpdateCommand;
import comms.cli.commands.send.SendExecuteCommand;
import comms.cli.commands.consent.SuppressionAddCommand;
import comms.cli.commands.consent.SuppressionListCommand;
import comms.cli.commands.consent.SuppressionRemoveCommand;
import comms.cli.commands.send.SendPreviewCommand;
import comms.cli.commands.status.StackStatusCommand;
import comms.cli.commands.status.TemplatesListCommand;
import comms.cli.commands.verify.VerifyCommand;
import comms.core.ExitCode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root `comms` command: global options, the exit-code table, and every capability as a subcommand. */
@Command(
    name = "comms",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    scope = CommandLine.ScopeType.INHERIT,
    description = {
      "Governed outbound communications: preview and send SMS and email under policy gates, with manual approval and an evidence trail.",
      "Reads the YAML contracts in bindings/ and writes its evidence to the outbox. Start with comms stack.status, which checks that the contracts hang together; every command has its own --help with examples."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms stack.status",
      "  comms templates.list --output json",
      "  comms cap run communications.policy.status"
    })
public final class CommsCommand implements Callable<Integer> {
  /**
   * Commands about the program itself rather than capabilities; not in the capability registry. `mcp`
   * is a front end (like `cap run`): the capabilities it serves are the registry's own, each audited.
   */
  public static final java.util.Set<String> META_COMMANDS = java.util.Set.of("cap", "completion", "walkthrough", "mcp");

  /**
   * Every capability's command, in the order `comms --help` lists them. Register new commands here,
   * not in {@code @Command(subcommands = …)}: picocli reflects every class listed there on every run,
   * while {@link CommandTree} reflects only the command a run names (start-up, issue 6).
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          StackStatusCommand.class,
          MailboxesListCommand.class,
          MailSearchCommand.class,
          ProviderStatusCommand.class,
          PolicyStatusCommand.class,
          TemplatesListCommand.class,
          SendPreviewCommand.class,
          SendExecuteCommand.class,
          MailSendTestCommand.class,
          MailSimulateInboundCommand.class,
          ConsentRecordCommand.class,
          SuppressionAddCommand.class,
          SuppressionRemoveCommand.class,
          SuppressionListCommand.class,
          comms.cli.commands.RecipientRegisterPhoneCommand.class,
          comms.cli.commands.RecipientRevokePhoneCommand.class,
          InboundSmsCommand.class,
          OperatorsListCommand.class,
          OperatorsAddCommand.class,
          OperatorsUpdateCommand.class,
          AuditCommand.class,
          SequenceCreateCommand.class,
          SequenceEditCommand.class,
          SequenceAddRecipientsCommand.class,
          SequenceListCommand.class,
          SequenceShowCommand.class,
          SequenceRecipientsCommand.class,
          SequenceLaunchCommand.class,
          SequencePauseCommand.class,
          SequenceResumeCommand.class,
          SequenceStopCommand.class,
          SequenceRunCommand.class,
          comms.cli.commands.ImessageDaemonCommand.class,
          EngagementIngestCommand.class,
          EngagementStatusCommand.class,
          SnippetCreateCommand.class,
          SnippetEditCommand.class,
          SnippetShowCommand.class,
          SnippetListCommand.class,
          SnippetSearchCommand.class,
          SnippetCosignCommand.class,
          RepliesSyncCommand.class,
          RepliesWatchCommand.class,
          RepliesStatusCommand.class,
          ApprovalConfirmCommand.class,
          ApprovalRequestCommand.class,
          ApprovalIssueCommand.class,
          ServeCommand.class,
          AuthTokenCommand.class,
          DashboardOpenCommand.class,
          DeliveryLogCommand.class,
          ReceiptsListCommand.class,
          ReceiptsShowCommand.class,
          VerifyCommand.class,
          CertifyCommand.class,
          InfraVmProvisionCommand.class,
          InfraVmBootstrapCommand.class,
          CapCommand.class,
          WalkthroughCommand.class,
          comms.cli.mcp.McpCommand.class,
          CompletionCommand.class);

  final App app;

  @Mixin GlobalOptions globals;

  @Spec CommandSpec spec;

  CommsCommand(App app) {
    this.app = app;
    this.globals = app.options;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(app.err);
    return ExitCode.USAGE.code();
  }
}
