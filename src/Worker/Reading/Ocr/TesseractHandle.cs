using System.Runtime.InteropServices;

namespace VerifyPipeline.Worker.Reading.Ocr;

/// <summary>Owns one <c>TessBaseAPI*</c>: <c>TessBaseAPIEnd</c> then <c>TessBaseAPIDelete</c> on release.</summary>
internal sealed class TesseractHandle : SafeHandle
{
    public TesseractHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static TesseractHandle Create()
    {
        var h = new TesseractHandle();
        h.SetHandle(TesseractNative.TessBaseAPICreate());
        if (h.IsInvalid) throw new InvalidOperationException("TessBaseAPICreate returned null");
        return h;
    }

    protected override bool ReleaseHandle()
    {
        // TessBaseAPIDelete runs the destructor, which calls End() itself.
        TesseractNative.TessBaseAPIDelete(handle);
        return true;
    }
}
