using System.Runtime.CompilerServices;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>
/// These tests draw with OpenCvSharp (samples, signature crops from the corpus) and run the embedded host, which reads
/// with libtesseract, in one process. libOpenCvSharpExtern loaded before libtesseract makes Leptonica's PNG I/O abort the
/// process ("libpng error: Invalid IHDR data / double free or corruption": the reason is on the Worker's
/// <c>OcrEnvironment</c>). Running the Worker assembly's module initializer first loads libtesseract before anything
/// else can load OpenCV. Without this the test host crashed in 2 of 3 clean runs in December 2026.
/// </summary>
internal static class NativeLoadOrder
{
#pragma warning disable CA2255 // a test assembly is the entry point of its process, as an executable is
    [ModuleInitializer]
    internal static void Init() =>
        RuntimeHelpers.RunModuleConstructor(typeof(VerifyPipeline.Worker.Reading.SubmissionReader).Module.ModuleHandle);
#pragma warning restore CA2255
}
