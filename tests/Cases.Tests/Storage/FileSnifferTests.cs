using VerifyPipeline.Cases;

namespace VerifyPipeline.Cases.Tests.Storage;

public sealed class FileSnifferTests
{
    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, FileKind.Pdf)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, FileKind.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, FileKind.Png)]
    [InlineData(new byte[] { 0x49, 0x49, 0x2A, 0x00 }, FileKind.Tiff)]
    [InlineData(new byte[] { 0x4D, 0x4D, 0x00, 0x2A }, FileKind.Tiff)]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, FileKind.Zip)]
    [InlineData(new byte[] { 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00 }, FileKind.Rar)]
    [InlineData(new byte[] { 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C }, FileKind.SevenZip)]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }, FileKind.Unknown)]   // a Windows executable
    [InlineData(new byte[] { }, FileKind.Unknown)]
    public void Sniff_RecognisesByMagicBytes(byte[] header, FileKind expected) => Assert.Equal(expected, FileSniffer.Sniff(header));

    [Fact]
    public void Sniff_IgnoresTheName_AndAcceptsOnlyTheUploadTypes()
    {
        Assert.False(FileSniffer.IsAcceptedUpload(FileSniffer.Sniff("GIF89a"u8)));
        Assert.True(FileSniffer.IsAcceptedUpload(FileKind.SevenZip));
        Assert.False(FileSniffer.IsAcceptedUpload(FileKind.Gzip));
    }
}

public sealed class CaseStateMachineTests
{
    [Theory]
    [InlineData(CaseState.Received, CaseState.Processing, true)]
    [InlineData(CaseState.Processing, CaseState.Approved, true)]
    [InlineData(CaseState.Processing, CaseState.InReview, true)]
    [InlineData(CaseState.InReview, CaseState.Rejected, true)]
    [InlineData(CaseState.Processing, CaseState.NeedsAttention, true)]
    [InlineData(CaseState.NeedsAttention, CaseState.Processing, true)]
    [InlineData(CaseState.Received, CaseState.Approved, false)]
    [InlineData(CaseState.Approved, CaseState.Rejected, false)]
    [InlineData(CaseState.Rejected, CaseState.Processing, false)]
    [InlineData(CaseState.Approved, CaseState.NeedsAttention, false)]
    public void CanMove_FollowsTheLifeCycle(CaseState from, CaseState to, bool allowed) => Assert.Equal(allowed, CaseStates.CanMove(from, to));
}
