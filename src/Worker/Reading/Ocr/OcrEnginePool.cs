using System.Collections.Concurrent;

namespace VerifyPipeline.Worker.Reading.Ocr;

/// <summary>
/// At most <see cref="Capacity"/> Tesseract engines for one language set, each used by one thread at a time: a worker
/// thread rents an engine, reads, and returns it. Engines are created lazily (loading ita+eng takes ~0.2 s) and kept for
/// reuse; a renter waits when all are out. Disposing the pool disposes every engine — the ones out on lease when they
/// come back.
/// </summary>
public sealed class OcrEnginePool : IDisposable
{
    private readonly ConcurrentBag<OcrEngine> _idle = [];
    private readonly SemaphoreSlim _slots;
    private readonly Func<OcrEngine> _factory;
    private int _created;
    private volatile bool _disposed;

    public int Capacity { get; }

    public string Language { get; }

    /// <summary>Engines created so far (≤ <see cref="Capacity"/>).</summary>
    public int Created => Volatile.Read(ref _created);

    public OcrEnginePool(string language = "ita+eng", int? capacity = null, string? tessdata = null)
        : this(language, capacity, () => new OcrEngine(language, tessdata)) { }

    internal OcrEnginePool(string language, int? capacity, Func<OcrEngine> factory)
    {
        Language = language;
        Capacity = capacity ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1);
        _slots = new SemaphoreSlim(Capacity, Capacity);
        _factory = factory;
    }

    /// <summary>An engine for the calling thread until the lease is disposed.</summary>
    public Lease Rent(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _slots.Wait(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_idle.TryTake(out var engine))
            {
                engine = _factory();
                Interlocked.Increment(ref _created);
            }
            return new Lease(this, engine);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/> with a rented engine.</summary>
    public T Use<T>(Func<OcrEngine, T> read, CancellationToken ct = default)
    {
        using var lease = Rent(ct);
        return read(lease.Engine);
    }

    private void Return(OcrEngine engine)
    {
        if (_disposed) engine.Dispose();
        else
        {
            engine.Clear();
            _idle.Add(engine);
            if (_disposed && _idle.TryTake(out var e)) e.Dispose();
        }
        _slots.Release();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        while (_idle.TryTake(out var e)) e.Dispose();
    }

    /// <summary>A rented engine; dispose to give it back.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly OcrEnginePool _pool;
        private OcrEngine? _engine;

        internal Lease(OcrEnginePool pool, OcrEngine engine) => (_pool, _engine) = (pool, engine);

        public OcrEngine Engine => _engine ?? throw new ObjectDisposedException(nameof(Lease));

        public void Dispose()
        {
            var e = Interlocked.Exchange(ref _engine, null);
            if (e is not null) _pool.Return(e);
        }
    }
}
