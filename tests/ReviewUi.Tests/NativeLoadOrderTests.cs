using System.Reflection;

namespace VerifyPipeline.ReviewUi.Tests;

public sealed class NativeLoadOrderTests
{
    [Fact]
    public void ThisProcess_LoadedLibtesseractBeforeOpenCv()
    {
        // Samples and the signature crops touch OpenCvSharp before any test starts a host; the embedded host's reading
        // then runs Leptonica's PNG I/O. The Worker records whether libOpenCvSharpExtern was already mapped when it
        // loaded libtesseract: the order that aborted this test host in December 2026 (see NativeLoadOrder). The Worker
        // is looked up by name, so that nothing in this method loads it before OpenCV is used.
        Assert.NotEmpty(Samples.Png(40, 20));
        var environment = Type.GetType("VerifyPipeline.Worker.Reading.Ocr.OcrEnvironment, VerifyPipeline.Worker", throwOnError: true)!;
        var openCvFirst = (bool)environment.GetProperty("OpenCvLoadedBeforeTesseract", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Assert.False(openCvFirst, "libOpenCvSharpExtern was mapped before libtesseract was loaded in the test host");
    }
}
