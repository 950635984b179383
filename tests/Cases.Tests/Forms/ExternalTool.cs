using System.Diagnostics;

namespace VerifyPipeline.Cases.Tests.Forms;

/// <summary>Runs an independent command-line tool (zbarimg from Debian zbar-tools, pdftoppm/pdfinfo from
/// poppler-utils, tesseract). A missing tool fails the test with the package to install: these checks are the point
/// of the tests, so they are never skipped silently.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string tool, string debianPackage, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{tool}' is not installed: apt-get install {debianPackage} ({e.Message})");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} did not finish in 60 s");
            }
            return new Result(p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>The QR texts zbarimg finds in an image file, one per symbol.</summary>
    public static IReadOnlyList<string> DecodeQr(string imagePath)
    {
        var r = Run("zbarimg", "zbar-tools", "--raw", "-q", "--set", "*.enable=0", "--set", "qrcode.enable=1", imagePath);
        // zbarimg exits 4 when it finds no symbol.
        return r.ExitCode == 0 ? r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vp-form-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
