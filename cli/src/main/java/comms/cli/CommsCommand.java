package comms.cli;

import comms.cli.commands.AuditCommand;
import comms.cli.commands.MailSimulateInboundCommand;
import comms.cli.commands.RepliesStatusCommand;
import comms.cli.commands.RepliesSyncCommand;
import comms.cli.commands.EngagementIngestCommand;
import comms.cli.commands.EngagementStatusCommand;
import comms.cli.commands.AuthTokenCommand;
import comms.cli.commands.DashboardOpenCommand;
import comms.cli.commands.ServeCommand;
import comms.cli.commands.SequenceCreateCommand;
import comms.cli.commands.SequenceEditCommand;
import comms.cli.commands.SequenceAddRecipientsCommand;
import comms.cli.commands.WalkthroughCommand;
import comms.cli.commands.SequenceListCommand;
import comms.cli.commands.SequenceShowCommand;
import comms.cli.commands.SequenceRecipientsCommand;
import comms.cli.commands.SequenceLaunchCommand;
import comms.cli.commands.SequencePauseCommand;
import comms.cli.commands.SequenceResumeCommand;
import comms.cli.commands.SequenceStopCommand;
import comms.cli.commands.SequenceRunCommand;
import comms.cli.commands.SnippetCosignCommand;
import comms.cli.commands.SnippetCreateCommand;
import comms.cli.commands.SnippetEditCommand;
import comms.cli.commands.SnippetListCommand;
import comms.cli.commands.SnippetSearchCommand;
import comms.cli.commands.SnippetShowCommand;
import comms.cli.commands.ApprovalConfirmCommand;
import comms.cli.commands.ApprovalRequestCommand;
import comms.cli.commands.ApprovalIssueCommand;
import comms.cli.commands.CapCommand;
import comms.cli.commands.CertifyCommand;
import comms.cli.commands.CompletionCommand;
import comms.cli.commands.DeliveryLogCommand;
import comms.cli.commands.StoreMigrateCommand;
import comms.cli.commands.MailSearchCommand;
import comms.cli.commands.MailboxesListCommand;
import comms.cli.commands.PolicyStatusCommand;
import comms.cli.commands.ProviderStatusCommand;
import comms.cli.commands.ReceiptsListCommand;
import comms.cli.commands.ReceiptsShowCommand;
import comms.cli.commands.ConsentRecordCommand;
import comms.cli.commands.InboundSmsCommand;
import comms.cli.commands.InfraVmBootstrapCommand;
import comms.cli.commands.InfraVmProvisionCommand;
import comms.cli.commands.MailSendTestCommand;
import comms.cli.commands.OperatorsAddCommand;
import comms.cli.commands.OperatorsListCommand;
import comms.cli.commands.OperatorsUpdateCommand;
import comms.cli.commands.SendExecuteCommand;
import comms.cli.commands.SuppressionAddCommand;
import comms.cli.commands.SuppressionListCommand;
import comms.cli.commands.SuppressionRemoveCommand;
import comms.cli.commands.SendPreviewCommand;
import comms.cli.commands.StackStatusCommand;
import comms.cli.commands.TemplatesListCommand;
import comms.cli.commands.VerifyCommand;
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
          EngagementIngestCommand.class,
          EngagementStatusCommand.class,
          SnippetCreateCommand.class,
          SnippetEditCommand.class,
          SnippetShowCommand.class,
          SnippetListCommand.class,
          SnippetSearchCommand.class,
          SnippetCosignCommand.class,
          RepliesSyncCommand.class,
          RepliesStatusCommand.class,
          ApprovalConfirmCommand.class,
          ApprovalRequestCommand.class,
          ApprovalIssueCommand.class,
          ServeCommand.class,
          AuthTokenCommand.class,
          DashboardOpenCommand.class,
          StoreMigrateCommand.class,
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
