using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Pins;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify pins import FILE.csv [--db PATH|CONNECTION] [--provider sqlite|postgres]</c>: fills the local PIN directory
/// (embedded mode, the demo) from a CSV file (<see cref="PinCsv"/>: reference, codice fiscale, status, e-mail, phone).
/// Every bad row is named with its line number on stderr and nothing is imported (exit 2); otherwise all rows are
/// written in one transaction and <c>{ "added", "changed", "unchanged", "lines": [...] }</c> is printed. Importing the
/// same file again changes nothing. The database is the one the host uses: <c>Storage__Cases__Provider</c> and
/// <c>Storage__Cases__Connection</c> from the environment, else <c>data/cases.db</c> under the current folder (where
/// <c>./run.sh</c> keeps it).
/// </summary>
public static class PinsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] != "import") throw new UsageException("pins needs a subcommand: pins import FILE.csv");
        string? file = null;
        var db = DatabaseArgs.Defaults();
        for (var i = 1; i < args.Length; i++)
        {
            if (db.TryParse(args, ref i)) continue;
            if (args[i].StartsWith("--", StringComparison.Ordinal) || file is not null) throw new UsageException($"unexpected argument '{args[i]}' for pins import");
            file = args[i];
        }
        if (file is null) throw new UsageException("pins import needs FILE.csv");
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"verify: {file}: no such file / file non trovato");
            return Commands.Unreadable;
        }
        PinCsv.Parsed parsed;
        using (var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true))
            parsed = PinCsv.Parse(reader, DateOnly.FromDateTime(DateTime.UtcNow));
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"verify: {file}: {e}");
            Console.Error.WriteLine($"verify: {file}: {parsed.Errors.Count} bad row(s); nothing was imported. Fix them and run the import again.");
            return Commands.Usage;
        }
        var store = await db.OpenStoreAsync();
        var lines = await store.ImportPinsAsync(parsed.Rows);
        Console.Out.WriteLine(JsonSerializer.Serialize(Summary(lines), Json));
        return Commands.Ok;
    }

    public static object Summary(IReadOnlyList<PinImportLine> lines) => new
    {
        added = lines.Count(l => l.Outcome == PinImportOutcome.Added),
        changed = lines.Count(l => l.Outcome == PinImportOutcome.Changed),
        unchanged = lines.Count(l => l.Outcome == PinImportOutcome.Unchanged),
        lines = lines.Select(l => new { line = l.Line, reference = l.PinReference, outcome = l.Outcome.ToString().ToLowerInvariant(), changed = l.Changed }),
    };

    private static JsonSerializerOptions Json => WireJson.Indented;
}

/// <summary>The case database a command writes to: <c>--db</c> and <c>--provider</c>, else the host's environment
/// variables, else the embedded default <c>data/cases.db</c>.</summary>
public sealed class DatabaseArgs
{
    public CaseDbProvider Provider { get; private set; }
    public string Connection { get; private set; } = "data/cases.db";

    public static DatabaseArgs Defaults()
    {
        var a = new DatabaseArgs();
        if (Enum.TryParse<CaseDbProvider>(Environment.GetEnvironmentVariable("Storage__Cases__Provider"), ignoreCase: true, out var p)) a.Provider = p;
        if (Environment.GetEnvironmentVariable("Storage__Cases__Connection") is { Length: > 0 } c) a.Connection = c;
        return a;
    }

    public bool TryParse(string[] args, ref int i)
    {
        string Value(ref int j) => j + 1 < args.Length ? args[++j] : throw new UsageException($"option {args[j]} needs a value");
        switch (args[i])
        {
            case "--db": Connection = Value(ref i); return true;
            case "--provider":
                var v = Value(ref i);
                Provider = Enum.TryParse<CaseDbProvider>(v, ignoreCase: true, out var p) ? p : throw new UsageException($"--provider must be sqlite or postgres, not '{v}'");
                return true;
            default: return false;
        }
    }

    /// <summary>The store, its schema brought up to date (idempotent, safe beside a running host).</summary>
    public async Task<CaseStore> OpenStoreAsync()
    {
        var db = new Database(Provider, Connection, Directory.GetCurrentDirectory());
        await db.MigrateAsync();
        return new CaseStore(db, TimeProvider.System);
    }
}
