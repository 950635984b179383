using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi;

/// <summary>Embedded mode only: a few PINs of synthetic people in the PIN registry (the real registry is INPS's),
/// so that an approval in the demo marks a PIN dispositivo. Matches docs/form-example.request.json and the fixed
/// sample under tests/TestData/submissions. Never loaded when scaled or when VP_DEMO_CREDENTIALS=off.</summary>
internal sealed class DemoData(CaseStore store, IConfiguration config, ILogger<DemoData> log) : IHostedService
{
    public static readonly Pin[] Pins =
    [
        new("PIN-7Q4K2M9X", "DMCMLC85L54H501A", PinType.Online, false, default),      // docs/form-example.request.json
        new("PIN-KAJHKQAT", "PRSLEI62E22F205M", PinType.Online, false, default),      // tests/TestData/submissions/pdf-scan-cie-ok.pdf
        new("PIN-DEMO-DISP", "RSSMRA80A01H501U", PinType.Dispositivo, false, default), // already dispositivo
        new("PIN-DEMO-REVOKED", "BNCLRA75M41F205A", PinType.Online, true, default),    // revoked
    ];

    public async Task StartAsync(CancellationToken ct)
    {
        if (CaseServices.IsScaled(config) || !PipelineDefaults.DemoCredentialsEnabled) return;
        foreach (var pin in Pins)
            if (await store.GetPinAsync(pin.PinReference, ct) is null)
                await store.UpsertPinAsync(pin, ct);
        log.LogInformation("Demo PIN registry: {Count} synthetic PINs", Pins.Length);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
