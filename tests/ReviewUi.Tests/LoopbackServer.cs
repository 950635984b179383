using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The other side of an HTTP integration (a client's callback receiver, INPS's PIN service) as a real Kestrel
/// server on loopback, on a port of its own that stays the same when the test takes it down ("down for a while") and up
/// again. <paramref name="map"/> adds its endpoints to each new app.</summary>
public sealed class LoopbackServer(Action<WebApplication> map, int? port = null) : IAsyncDisposable
{
    public int Port { get; } = port ?? FreePort();
    public string Url => $"http://127.0.0.1:{Port}";
    private WebApplication? _app;

    /// <summary>A free loopback port now (another process could take it before it is bound; fine on a test machine).</summary>
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts (again) answering on <see cref="Port"/>.</summary>
    public async Task UpAsync()
    {
        if (_app is not null) return;
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls(Url);
        b.Logging.ClearProviders();
        var app = b.Build();
        map(app);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>The server goes away: connections to its port are refused until <see cref="UpAsync"/>.</summary>
    public async Task DownAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync() => await DownAsync();
}
