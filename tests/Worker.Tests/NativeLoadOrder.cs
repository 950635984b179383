using System.Runtime.CompilerServices;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Worker.Tests;

/// <summary>
/// Tests may touch OpenCvSharp or SkiaSharp before any Worker type; the `verify` executable never does (its Main is in
/// the Worker assembly). Load libtesseract first here too, for the reason given on <see cref="OcrEnvironment"/>.
/// </summary>
internal static class NativeLoadOrder
{
#pragma warning disable CA2255 // a test assembly is the entry point of its process, as an executable is
    [ModuleInitializer]
    internal static void Init() => OcrEnvironment.EnsureThreadLimit();
#pragma warning restore CA2255
}
