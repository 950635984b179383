using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VerifyPipeline.Worker.Reading.Ocr;

/// <summary>tesseract::PageIteratorLevel values (publictypes.h).</summary>
public enum PageIteratorLevel { Block = 0, Para = 1, TextLine = 2, Word = 3, Symbol = 4 }

/// <summary>tesseract::PageSegMode values (publictypes.h).</summary>
public enum PageSegMode
{
    OsdOnly = 0, AutoOsd = 1, AutoOnly = 2, Auto = 3, SingleColumn = 4, SingleBlockVertText = 5, SingleBlock = 6,
    SingleLine = 7, SingleWord = 8, CircleWord = 9, SingleChar = 10, SparseText = 11, SparseTextOsd = 12, RawLine = 13,
}

/// <summary>
/// The part of the libtesseract 5 C API (tesseract/capi.h) the reader uses, bound with source-generated interop.
/// Strings in are UTF-8; the text returned by <c>TessBaseAPIGetUTF8Text</c> is owned by Tesseract and freed with
/// <c>TessDeleteText</c>. The library is loaded on the first call, after <see cref="OcrEnvironment.EnsureThreadLimit"/>.
/// </summary>
internal static partial class TesseractNative
{
    public const string Library = "libtesseract.so.5";

    /// <summary>tesseract::OcrEngineMode: 1 = LSTM only (the only model the Debian traineddata carry).</summary>
    public const int OemLstmOnly = 1;

    static TesseractNative() => OcrEnvironment.EnsureThreadLimit();

    [LibraryImport(Library)]
    public static partial IntPtr TessBaseAPICreate();

    [LibraryImport(Library)]
    public static partial void TessBaseAPIDelete(IntPtr handle);

    [LibraryImport(Library)]
    public static partial void TessBaseAPIEnd(TesseractHandle handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPIInit2(TesseractHandle handle, string datapath, string language, int oem);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.I4)]
    public static partial bool TessBaseAPISetVariable(TesseractHandle handle, string name, string value);

    [LibraryImport(Library)]
    public static unsafe partial void TessBaseAPISetImage(
        TesseractHandle handle, byte* imageData, int width, int height, int bytesPerPixel, int bytesPerLine);

    [LibraryImport(Library)]
    public static partial void TessBaseAPISetSourceResolution(TesseractHandle handle, int ppi);

    [LibraryImport(Library)]
    public static partial void TessBaseAPISetPageSegMode(TesseractHandle handle, PageSegMode mode);

    [LibraryImport(Library)]
    public static partial void TessBaseAPISetRectangle(TesseractHandle handle, int left, int top, int width, int height);

    [LibraryImport(Library)]
    public static partial int TessBaseAPIRecognize(TesseractHandle handle, IntPtr monitor);

    [LibraryImport(Library)]
    public static partial IntPtr TessBaseAPIGetUTF8Text(TesseractHandle handle);

    [LibraryImport(Library)]
    public static partial int TessBaseAPIMeanTextConf(TesseractHandle handle);

    [LibraryImport(Library)]
    public static partial IntPtr TessBaseAPIGetIterator(TesseractHandle handle);

    [LibraryImport(Library)]
    public static partial void TessResultIteratorDelete(IntPtr iterator);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.I4)]
    public static partial bool TessResultIteratorNext(IntPtr iterator, PageIteratorLevel level);

    [LibraryImport(Library)]
    public static partial IntPtr TessResultIteratorGetUTF8Text(IntPtr iterator, PageIteratorLevel level);

    [LibraryImport(Library)]
    public static partial float TessResultIteratorConfidence(IntPtr iterator, PageIteratorLevel level);

    /// <summary>The page iterator a result iterator is (same object, not deleted separately).</summary>
    [LibraryImport(Library)]
    public static partial IntPtr TessResultIteratorGetPageIterator(IntPtr iterator);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.I4)]
    public static partial bool TessPageIteratorBoundingBox(IntPtr iterator, PageIteratorLevel level, out int left, out int top, out int right, out int bottom);

    [LibraryImport(Library)]
    public static partial IntPtr TessResultIteratorGetChoiceIterator(IntPtr iterator);

    [LibraryImport(Library)]
    public static partial void TessChoiceIteratorDelete(IntPtr iterator);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.I4)]
    public static partial bool TessChoiceIteratorNext(IntPtr iterator);

    /// <summary>Owned by the iterator: not freed.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr TessChoiceIteratorGetUTF8Text(IntPtr iterator);

    [LibraryImport(Library)]
    public static partial float TessChoiceIteratorConfidence(IntPtr iterator);

    [LibraryImport(Library)]
    public static partial void TessBaseAPIClear(TesseractHandle handle);

    [LibraryImport(Library)]
    public static partial void TessDeleteText(IntPtr text);

    [LibraryImport(Library)]
    public static partial IntPtr TessVersion();
}

/// <summary>
/// OpenMP inside libtesseract spawns a thread team per line by default: on 2 shared cores that makes a page 5× slower
/// (reference facts: 0.4 s/page with <c>OMP_THREAD_LIMIT=1</c>, 2 s without). libgomp reads the variable once, when it is
/// loaded — by libtesseract or by OpenCvSharp's native library, whichever comes first — and .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not touch the C environment, so the limit is
/// set with libc <c>setenv</c> when this assembly is first used, unless the process was started with a value.
/// <para>
/// libtesseract is then loaded at once, before OpenCV: libOpenCvSharpExtern.so carries its own libpng and exports its
/// png_* symbols, and when it is loaded first the system libpng16 it pulls in (through GTK) binds its internal calls to
/// that copy. Leptonica, which writes and reads PNG in memory during page layout analysis, then aborts the process with
/// "libpng error: Invalid IHDR data / double free or corruption" (measured: Skia render, Cv2.ImRead, then a PSM 3 read).
/// Loaded first, libpng16 keeps its own symbols.
/// </para>
/// </summary>
internal static partial class OcrEnvironment
{
    private static int _done;

    /// <summary>True when libgomp was already loaded before the limit could be set (the limit then has no effect).</summary>
    public static bool GompLoadedBeforeLimit { get; private set; }

    /// <summary>True when libOpenCvSharpExtern was already loaded when libtesseract was preloaded (the libpng hazard above).</summary>
    public static bool OpenCvLoadedBeforeTesseract { get; private set; }

    // The limit must be set and libtesseract loaded before any code of this assembly touches OpenCV or OpenMP, whichever
    // host (the `verify` command, the web host, a test runner) loads it: the analyser's "application code only" advice
    // does not fit a library that carries a native-loading order as its own guarantee.
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void AtModuleLoad() => EnsureThreadLimit();
#pragma warning restore CA2255

    /// <summary>Sets OMP_THREAD_LIMIT=1 (unless set) and preloads libtesseract; idempotent, cheap after the first call.</summary>
    public static void EnsureThreadLimit()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1 || !OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") is not { Length: > 0 })
        {
            GompLoadedBeforeLimit = IsLoaded("libgomp.so.1");
            _ = setenv("OMP_THREAD_LIMIT", "1", 1);
            Environment.SetEnvironmentVariable("OMP_THREAD_LIMIT", "1");
        }
        OpenCvLoadedBeforeTesseract = IsLoaded("libOpenCvSharpExtern.so");
        // Missing libtesseract is reported by the first OcrEngine, not here: every command loads this assembly.
        NativeLibrary.TryLoad(TesseractNative.Library, out _);
    }

    /// <summary>Whether a library of that file name is mapped into this process. dlopen's RTLD_NOLOAD cannot say it:
    /// .NET loads native libraries by full path and libOpenCvSharpExtern has no SONAME, so a bare name never matches.</summary>
    private static bool IsLoaded(string fileName)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
                if (line.Contains("/" + fileName, StringComparison.Ordinal)) return true; // libgomp.so.1 maps as libgomp.so.1.0.0
        }
        catch (IOException) { }
        return false;
    }


    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
