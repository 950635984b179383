using System.Runtime.CompilerServices;

namespace VerifyPipeline.Cli;

/// <summary>
/// Commands such as <c>sample</c> and <c>families</c> draw with OpenCvSharp (the corpus, the document families) before
/// any reading code runs; libOpenCvSharpExtern loaded before libtesseract makes Leptonica's PNG I/O abort the process
/// (the reason is on the Worker's <c>OcrEnvironment</c>). The Worker assembly's module initializer, run first here,
/// loads libtesseract (and sets OMP_THREAD_LIMIT) before any command can touch OpenCV.
/// </summary>
internal static class NativeLoadOrder
{
#pragma warning disable CA2255 // this assembly holds the process's entry point
    [ModuleInitializer]
    internal static void Init() =>
        RuntimeHelpers.RunModuleConstructor(typeof(VerifyPipeline.Worker.Reading.SubmissionReader).Module.ModuleHandle);
#pragma warning restore CA2255
}
