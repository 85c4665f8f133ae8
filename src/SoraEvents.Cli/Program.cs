using System.Runtime.InteropServices;
using SoraEvents.Cli;

// Ctrl+C or SIGTERM cancels the running command (a replay stops between two messages and gives the rest
// back); a second one ends the process at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
});

return await CliApp.RunAsync(args, Console.Out, Console.Error, Console.In, stop.Token);
