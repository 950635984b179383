using System.Runtime.InteropServices;

namespace VerifyPipeline.Worker.Reading.Ocr;

/// <summary>Text read from an image or a region of it, with Tesseract's mean word confidence (0-100).</summary>
public sealed record OcrText(string Text, int MeanConfidence);

/// <summary>One symbol of a reading: the character chosen, where it is in the image, and the alternatives the LSTM
/// weighed for it (choice and confidence 0-100, best first, the chosen one included).</summary>
public sealed record OcrSymbol(string Text, float Confidence, PixelRect Box, IReadOnlyList<(string Text, float Confidence)> Choices);

/// <summary>A rectangle in image pixels.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height);

/// <summary>A word as recognised: its text, Tesseract's confidence (0–100) and its box in the image's pixels.</summary>
public sealed record OcrWord(string Text, float Confidence, PixelRect Box);

/// <summary>
/// One Tesseract engine (libtesseract 5 through <see cref="TesseractNative"/>). Not thread-safe: one thread uses an
/// engine at a time — take engines from an <see cref="OcrEnginePool"/>. Images are 8-bit grey, row-major; Tesseract
/// copies the pixels in <see cref="SetImage"/>, so the caller's buffer may be reused afterwards.
/// </summary>
public sealed class OcrEngine : IDisposable
{
    public const string DefaultTessdata = "/usr/share/tesseract-ocr/5/tessdata";

    private readonly TesseractHandle _handle;
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private int _width, _height;

    public string Language { get; }

    /// <param name="language">Tesseract languages joined with '+', e.g. "ita+eng".</param>
    /// <param name="tessdata">Folder holding the .traineddata files.</param>
    public OcrEngine(string language = "ita+eng", string? tessdata = null)
    {
        Language = language;
        tessdata ??= Environment.GetEnvironmentVariable("VERIFY_TESSDATA") ?? DefaultTessdata;
        _handle = TesseractHandle.Create();
        if (TesseractNative.TessBaseAPIInit2(_handle, tessdata, language, TesseractNative.OemLstmOnly) != 0)
        {
            _handle.Dispose();
            throw new InvalidOperationException($"Tesseract could not load '{language}' from {tessdata} (apt tesseract-ocr-ita tesseract-ocr-eng)");
        }
        // Quieter and faster: no debug file, no dictionary-based inversion checks.
        SetVariable("debug_file", "/dev/null");
    }

    /// <summary>The libtesseract version string, e.g. "5.3.0".</summary>
    public static string Version => Marshal.PtrToStringUTF8(TesseractNative.TessVersion()) ?? "";

    /// <summary>Sets a Tesseract parameter (e.g. tessedit_char_whitelist); remembered, so setting the same value again is free.</summary>
    public void SetVariable(string name, string value)
    {
        if (_variables.TryGetValue(name, out var old) && old == value) return;
        if (!TesseractNative.TessBaseAPISetVariable(_handle, name, value))
            throw new ArgumentException($"Tesseract has no parameter '{name}'", nameof(name));
        _variables[name] = value;
    }

    /// <summary>Characters Tesseract may output; null or "" lifts the restriction.</summary>
    public void SetWhitelist(string? characters) => SetVariable("tessedit_char_whitelist", characters ?? "");

    public void SetPageSegMode(PageSegMode mode) => TesseractNative.TessBaseAPISetPageSegMode(_handle, mode);

    /// <summary>Gives Tesseract an 8-bit grey image (stride = bytes per row, ≥ width) and its resolution.</summary>
    public unsafe void SetImage(ReadOnlySpan<byte> grey, int width, int height, int stride, int dpi)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width);
        if (grey.Length < (long)stride * (height - 1) + width)
            throw new ArgumentException($"{grey.Length} bytes cannot hold {width}×{height} with stride {stride}", nameof(grey));
        fixed (byte* p = grey)
            TesseractNative.TessBaseAPISetImage(_handle, p, width, height, 1, stride);
        TesseractNative.TessBaseAPISetSourceResolution(_handle, dpi > 0 ? dpi : 300);
        _width = width;
        _height = height;
    }

    /// <summary>Same as <see cref="SetImage(ReadOnlySpan{byte}, int, int, int, int)"/> from an unmanaged buffer (an OpenCV Mat).</summary>
    public unsafe void SetImage(IntPtr grey, int width, int height, int stride, int dpi) =>
        SetImage(new ReadOnlySpan<byte>((void*)grey, checked(stride * (height - 1) + width)), width, height, stride, dpi);

    /// <summary>Recognises the whole image set last, or only <paramref name="region"/> of it (zone OCR).</summary>
    public OcrText Read(PixelRect? region = null, PageSegMode mode = PageSegMode.Auto)
    {
        if (_width == 0) throw new InvalidOperationException("SetImage first");
        var r = region ?? new PixelRect(0, 0, _width, _height);
        var x = Math.Clamp(r.X, 0, _width - 1);
        var y = Math.Clamp(r.Y, 0, _height - 1);
        var w = Math.Clamp(r.Width - (x - r.X), 1, _width - x);
        var h = Math.Clamp(r.Height - (y - r.Y), 1, _height - y);
        // libtesseract 5.3.0 reads a band spanning the full width (left 0, width = image width) below the top as almost
        // nothing ("i" for a clear line — measured, in any order of calls); one column less reads it right.
        if (x == 0 && w == _width && (y > 0 || h < _height) && w > 1) w--;
        TesseractNative.TessBaseAPISetPageSegMode(_handle, mode);
        TesseractNative.TessBaseAPISetRectangle(_handle, x, y, w, h);
        if (TesseractNative.TessBaseAPIRecognize(_handle, IntPtr.Zero) != 0) return new OcrText("", 0);
        var ptr = TesseractNative.TessBaseAPIGetUTF8Text(_handle);
        string text;
        try
        {
            text = ptr == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(ptr) ?? "";
        }
        finally
        {
            if (ptr != IntPtr.Zero) TesseractNative.TessDeleteText(ptr);
        }
        return new OcrText(text, Math.Max(0, TesseractNative.TessBaseAPIMeanTextConf(_handle)));
    }

    /// <summary>
    /// Recognises the whole image set last and returns it symbol by symbol with each symbol's alternatives (Tesseract's
    /// <c>lstm_choice_mode</c> 2: the characters the LSTM's output had for that timestep). Spaces are not symbols.
    /// </summary>
    public IReadOnlyList<OcrSymbol> ReadSymbols(PageSegMode mode = PageSegMode.SingleLine)
    {
        SetVariable("lstm_choice_mode", "2");
        try
        {
            return Recognise(mode, PageIteratorLevel.Symbol, (it, text, confidence, box) =>
            {
                var choices = new List<(string, float)>();
                var ci = TesseractNative.TessResultIteratorGetChoiceIterator(it);
                if (ci != IntPtr.Zero)
                {
                    try
                    {
                        do
                        {
                            var c = Marshal.PtrToStringUTF8(TesseractNative.TessChoiceIteratorGetUTF8Text(ci)) ?? "";
                            if (c.Length > 0) choices.Add((c, TesseractNative.TessChoiceIteratorConfidence(ci)));
                        } while (TesseractNative.TessChoiceIteratorNext(ci));
                    }
                    finally { TesseractNative.TessChoiceIteratorDelete(ci); }
                }
                return new OcrSymbol(text, confidence, box, choices.OrderByDescending(c => c.Item2).ToList());
            });
        }
        finally
        {
            SetVariable("lstm_choice_mode", "0");
        }
    }

    /// <summary>Recognises the whole image set last and returns its words with their boxes (the page's layout is then the
    /// reader's to interpret: labels and the values beside or below them).</summary>
    public IReadOnlyList<OcrWord> ReadWords(PageSegMode mode = PageSegMode.SparseText) =>
        Recognise(mode, PageIteratorLevel.Word, (_, text, confidence, box) =>
            string.IsNullOrWhiteSpace(text) ? null : new OcrWord(text.Trim(), confidence, box));

    /// <summary>Recognises the whole image and walks the result at <paramref name="level"/>: each element's text,
    /// confidence and box given to <paramref name="make"/> (null skips it); the iterator is freed whatever happens.</summary>
    private List<T> Recognise<T>(PageSegMode mode, PageIteratorLevel level, Func<IntPtr, string, float, PixelRect, T?> make) where T : class
    {
        if (_width == 0) throw new InvalidOperationException("SetImage first");
        TesseractNative.TessBaseAPISetPageSegMode(_handle, mode);
        TesseractNative.TessBaseAPISetRectangle(_handle, 0, 0, _width, _height);
        if (TesseractNative.TessBaseAPIRecognize(_handle, IntPtr.Zero) != 0) return [];
        var it = TesseractNative.TessBaseAPIGetIterator(_handle);
        if (it == IntPtr.Zero) return [];
        var items = new List<T>();
        try
        {
            do
            {
                var ptr = TesseractNative.TessResultIteratorGetUTF8Text(it, level);
                if (ptr == IntPtr.Zero) continue;
                string text;
                try { text = Marshal.PtrToStringUTF8(ptr) ?? ""; }
                finally { TesseractNative.TessDeleteText(ptr); }
                TesseractNative.TessPageIteratorBoundingBox(TesseractNative.TessResultIteratorGetPageIterator(it), level, out var l, out var t, out var r, out var b);
                if (make(it, text, TesseractNative.TessResultIteratorConfidence(it, level), new PixelRect(l, t, r - l, b - t)) is { } item) items.Add(item);
            } while (TesseractNative.TessResultIteratorNext(it, level));
        }
        finally { TesseractNative.TessResultIteratorDelete(it); }
        return items;
    }

    /// <summary>Convenience: set the image and read all of it.</summary>
    public OcrText Read(ReadOnlySpan<byte> grey, int width, int height, int stride, int dpi,
        PageSegMode mode = PageSegMode.Auto)
    {
        SetImage(grey, width, height, stride, dpi);
        return Read(null, mode);
    }

    /// <summary>Drops the image and the last results (keeps the loaded model).</summary>
    public void Clear()
    {
        TesseractNative.TessBaseAPIClear(_handle);
        _width = _height = 0;
    }

    public void Dispose() => _handle.Dispose();
}
