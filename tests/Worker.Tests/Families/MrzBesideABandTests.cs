using OpenCvSharp;
using VerifyPipeline.Worker.Reading.Mrz;

namespace VerifyPipeline.Worker.Tests.Families;

using VerifyPipeline.DocumentFamilies;

/// <summary>
/// An MRZ printed beside a dark band of vertical text (passport-b's data page: REPUBBLICA ITALIANA · PASSAPORTO along its
/// left edge) is read: the band's columns once joined the zone's two lines into one and added its letters to each line,
/// and passport-b's MRZ was read on none of its scans.
/// </summary>
public class MrzBesideABandTests
{
    [Theory]
    [InlineData(1035), InlineData(7), InlineData(58)]
    public void PassportB_Scan300_MrzReadsValid(int seed)
    {
        var person = People.Make(seed);
        using var doc = Families.Draw(Families.Get("passport-b"), person, seed);
        var page = Captures.Scan300(doc, seed)[0];

        using var grey = Mat.FromImageData(page.Bytes, ImreadModes.Grayscale);
        var read = MrzImageReader.Read(grey, new DateOnly(2026, 12, 2), TimeSpan.FromSeconds(5));

        Assert.True(read.Valid, $"lines: {string.Join(" | ", read.Lines)} ({read.Failure})");
        Assert.Equal(person.Surname.ToUpperInvariant().Replace("'", "").Replace(" ", ""), read.Result!.Fields["surname"].Replace(" ", ""));
    }
}
