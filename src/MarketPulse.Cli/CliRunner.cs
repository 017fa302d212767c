using System.CommandLine;

namespace MarketPulse.Cli;

/// <summary>Runs the command tree with the CLI contract: exit 2 with a message on bad arguments or input.</summary>
public static class CliRunner
{
    public const int BadInput = 2;
    public const int NotAvailable = 3;

    public static async Task<int> RunAsync(RootCommand root, string[] args, InvocationConfiguration? configuration = null)
    {
        var parsed = root.Parse(args);
        // System.CommandLine's default handler would catch CliInputException first and exit 1 with a stack trace.
        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;
        var error = configuration.Error;
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine("Run with --help for usage.");
            return BadInput;
        }
        try
        {
            return await parsed.InvokeAsync(configuration);
        }
        catch (CliInputException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
    }

    /// <summary>A command that a later release provides: says so plainly instead of pretending.</summary>
    public static Command NotYetAvailable(string name, string description, string tracking)
    {
        var command = new Command(name, description + " (not available in this build)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine($"'{name}' is not available in this build yet: {tracking}");
            return NotAvailable;
        });
        return command;
    }
}

/// <summary>Thrown for bad user input (missing files, wrong formats); mapped to exit code 2.</summary>
public sealed class CliInputException(string message) : Exception(message);
