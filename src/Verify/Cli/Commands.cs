using VerifyPipeline.Worker.Hosting;

namespace VerifyPipeline.Cli;

public static class Commands
{
    public const int Ok = 0, Usage = 2, Unreadable = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.Write(HelpText);
            return args.Length == 0 ? Usage : Ok;
        }
        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "check" => await CheckCommand.RunAsync(rest),
                "eval" => await EvalCommand.RunAsync(rest),
                "cf" => CfCommand.Run(rest),
                "mrz" => MrzCommand.Run(rest),
                "form" => FormCommand.Run(rest),
                "sample" => SampleCommand.Run(rest),
                "signature" => SignatureCommand.Run(rest),
                "worker" => await WorkerHost.RunAsync(rest),
                "bench" => await BenchCommand.RunAsync(rest),
                "specimens" => SpecimensCommand.Run(rest),
                "families" => await FamiliesCommand.RunAsync(rest),
                "pins" => await PinsCommand.RunAsync(rest),
                "demo" => await DemoCommand.RunAsync(rest),
                _ => UsageError($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            return UsageError(e.Message);
        }
    }

    public static int UsageError(string message)
    {
        Console.Error.WriteLine($"verify: {message}");
        Console.Error.Write(HelpText);
        return Usage;
    }

    public const string HelpText = """
        usage: verify <command> [options]
          check FILE [--cf CODE] [--pin-status online|dispositivo|revoked|unknown] [--pin-holder-cf CODE] [--declared JSON_FILE] [--as-of YYYY-MM-DD]
          mrz --text "L1\nL2[\nL3]" | --image FILE
          signature A.png B.png [--signature-mode compatible|strict|manual]
          cf CODE
          form --request JSON_FILE --out FILE.pdf
          sample --out DIR --count N --seed S [--profile realistic|hard|fax] [--as-of YYYY-MM-DD] [--labels-only]
          bench [--runs N]    CPU time to read a 3-page scanned submission vs the tesseract CLI
          bench --corpus DIR [--limit N]  timings p50/p95, pages/s, peak memory, accuracy against the labels
          bench --ocr-page    tesseract alone on a full A4 page of text at 300 dpi (median of 5)
          bench --mrz-images [--rotate DEG] [--only A,B] [--debug DIR]  MRZ reader over shared/testdata/real/03_mrz
          eval DIR [--limit N] [--reports DIR [--reuse-reports]] decisions and fields of a generated corpus against its labels,
                            why cases went to a person, what other signature edges would have done
          worker            run a worker-only process (scaled mode: PostgreSQL jobs, shared blob store)
          families [--per N] [--seed S] [--families ID,…|--held-out] [--captures …] [--submissions] [--tuned ID,…] [--keep DIR]
                            the reader on documents drawn by independent code (tools/DocumentFamilies), per family;
                            tuned by default: every family but the held-out -e ones (drawn blind 2026-12-03)
          families --list | --render DIR [--seed S] [--families ID,…|--held-out]
                            list the families / draw their sides, captures and submissions (no reader)
          pins import FILE.csv [--db PATH|CONNECTION] [--provider sqlite|postgres]
                            fill the local PIN directory (reference,codice_fiscale,status,email,phone); idempotent
          demo --api URL [--count N] [--key API_KEY] [--seed S] [--db …]
                            fill a running system through its API: synthetic PINs, requests, signed forms, documents
          specimens --out DIR  redraw the locator's specimen images (src/Worker/Reading/Documents/Specimens)

        """;
}

/// <summary>A command-line mistake: exit code 2 with the message and the usage text.</summary>
public sealed class UsageException(string message) : Exception(message);
