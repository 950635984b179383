using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify form --request JSON_FILE --out FILE.pdf [--key KEY]</c> (DESIGN.md contract): the pre-filled request form
/// of a request. The JSON is the body of <c>POST /api/requests</c> plus its <c>id</c>. The QR's HMAC key is, in order:
/// <c>--key</c>, the environment variable <c>VERIFY_FORM_HMAC_KEY</c>, else <see cref="FormQr.DevelopmentKey"/> with a
/// warning on stderr (a form signed with it proves nothing). On success prints
/// <c>{ "out", "request_id", "qr_payload" }</c> on stdout; exit 2 for usage errors, including a request file that is
/// missing, not JSON, or lacks a required field.
/// </summary>
public static class FormCommand
{
    public const string KeyVariable = "VERIFY_FORM_HMAC_KEY";

    private static readonly JsonSerializerOptions RequestJson = new(WireJson.Options)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static int Run(string[] args)
    {
        string? requestFile = null, outFile = null, key = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--request": requestFile = Value(); break;
                case "--out": outFile = Value(); break;
                case "--key": key = Value(); break;
                default: throw new UsageException($"unexpected argument '{args[i]}' for form");
            }
        }
        if (requestFile is null) throw new UsageException("form needs --request JSON_FILE");
        if (outFile is null) throw new UsageException("form needs --out FILE.pdf");

        key ??= Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrEmpty(key))
        {
            Console.Error.WriteLine($"verify: warning: no --key and no {KeyVariable}; signing the QR code with the development key (not for production)");
            key = FormQr.DevelopmentKey;
        }

        var request = ReadRequest(requestFile);
        var options = new FormRenderOptions(key);
        byte[] pdf;
        try
        {
            pdf = FormRenderer.RenderPdf(request, options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{requestFile}: {e.Message}");
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(outFile));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(outFile, pdf);

        var payload = FormRenderer.QrPayload(request, options);
        Console.Out.WriteLine(JsonSerializer.Serialize(new { @out = outFile, request_id = request.Id, qr_payload = payload }));
        return Commands.Ok;
    }

    private static ConversionRequest ReadRequest(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"request file '{path}' not found");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new UsageException($"{path}: not a JSON object");
            if (!doc.RootElement.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString()))
                throw new UsageException($"{path}: \"id\" (string) is required");
            var data = doc.RootElement.Deserialize<RequestData>(RequestJson)
                ?? throw new UsageException($"{path}: empty request");
            return new ConversionRequest(id.GetString()!, "cli", DateTimeOffset.UtcNow, data);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }
}
