using OpenCvSharp;
using VerifyPipeline.Worker.Reading.Documents;

namespace VerifyPipeline.Worker.Tests.Reading.Documents;

/// <summary>How OCR readings of a CIE's printed codice fiscale become a code or nothing (codes of synthetic people from
/// the realistic corpus; the misreadings are the ones measured on its faxes).</summary>
public sealed class CfCandidatesTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 23);

    [Fact]
    public void Repair_PutsDigitsAndLettersBackByPosition_WhenReadAtTheWrongKindOfPosition()
    {
        Assert.Equal("OGLRNI81H47G478E", CfCandidates.Repair("0GLRNI8I H47G478E"));
        Assert.Equal("CLMZOE49S60G273G", CfCandidates.Repair("CLMZ0E49S6OG273G"));
    }

    [Fact]
    public void Repair_LeavesOmocodiaLetters_WhereDigitsMayBeReplaced()
    {
        Assert.Equal("RSSMRA85T10H5LMZ", CfCandidates.Repair("RSSMRA85T10H5LMZ"));
    }

    [Fact]
    public void Pick_IsConfirmed_WhenTwoReadingsValidateAsTheSameCode()
    {
        var pick = CfCandidates.Pick(["DLLRNIS6L58A137E", "DLLRNI56L58A137E", "DLLRNI56L58A137E"], [], null, AsOf);

        Assert.Equal(new CfPick("DLLRNI56L58A137E", Confirmed: true), pick);
    }

    [Fact]
    public void Pick_SubstitutesOneKnownConfusion_WhenExactlyOneCodeValidates()
    {
        // A fax loses the Q's tail: every reading ends in O, and only Q makes the check character hold.
        var pick = CfCandidates.Pick(["GRDRRA91E43C351O", "GRDRRA91E43C351O"], ["GRDRRA91E43C351O"], null, AsOf);

        Assert.Equal(new CfPick("GRDRRA91E43C351Q", Confirmed: false), pick);
    }

    [Fact]
    public void Pick_UsesTesseractsAlternatives_WhenTheCellReadingWeighedTheRightCharacter()
    {
        var alternatives = Enumerable.Repeat("", 16).ToArray();
        alternatives[13] = "19";
        var pick = CfCandidates.Pick(["RNIMTN62S65A275T", "RNLMTN93S65A275I", "RNLMTN93S65A2?5I"], ["RNLMTN93S65A275I", "RNLMTN93S65A2?5I"], alternatives, AsOf);

        Assert.Equal(new CfPick("RNLMTN93S65A215I", Confirmed: false), pick);
    }

    [Fact]
    public void Pick_DoesNotChangeTheCheckCharacter_WhenOnlyOneReadingHasTheRestOfTheCode()
    {
        // The other readings are garbage: the body "MNCLCI88H56B354" is seen once, and a check character changed on
        // one reading's word would validate whatever the body's misreadings.
        var pick = CfCandidates.Pick(["MNCICTR2HS6R254O", "MNCICTRRHR8R254O", "MNCLCI88H56B354O"], ["MNCLCI88H56B354O"], null, AsOf);

        Assert.Null(pick.Code);
    }

    [Fact]
    public void Pick_DoesNotGuessAnOmocodiaLetter_WhenTesseractWeighedOneAtADigitPosition()
    {
        // 70 read as 74; Tesseract also weighed Q there, and Q (omocodia for 0) with the R read last is a valid code.
        var alternatives = Enumerable.Repeat("", 16).ToArray();
        alternatives[7] = "Q";
        var pick = CfCandidates.Pick(["BNCNCL74S21Z110R"], ["BNCNCL74S21Z110R"], alternatives, AsOf);

        Assert.Null(pick.Code);
    }

    [Fact]
    public void Pick_ChangesTheCheckCharacter_WhenEachBodyCharacterIsReadAlikeTwice()
    {
        // Three cell readings of a fine fax: none identical, but every body position has two readings agreeing, and the
        // T read last is an I (a known confusion).
        var cells = new[] { "RNLMTN93S65A215T", "RNLMTN03S65A215T", "RNLMTN93S65A21ST" };
        var pick = CfCandidates.Pick([.. cells, "RNI MTNG2S65A275T"], cells, null, AsOf);

        Assert.Equal(new CfPick("RNLMTN93S65A215I", Confirmed: false), pick);
    }

    [Fact]
    public void Pick_GivesNothing_WhenAnotherCharacterWasReadOnlyOnce()
    {
        // The valid reading has two characters no other reading has (9 and D): were both misread, the check character
        // could hold by chance, so it is not taken.
        var cells = new[] { "LNGFNC94P50D969O", "LNGFNC34P50N969O" };
        var pick = CfCandidates.Pick(cells, cells, null, AsOf);

        Assert.Null(pick.Code);
    }

    [Fact]
    public void IsPlausible_IsFalse_WhenThePlaceCodeStartsWithALetterNoCadastralCodeHas()
    {
        Assert.True(CfCandidates.IsPlausible("LNGFNC94P50D969O", AsOf));
        Assert.False(CfCandidates.IsPlausible("LNCFNC94P50N969O", AsOf));
    }

    [Fact]
    public void Pick_GivesNothing_WhenReadingsValidateAsDifferentCodes()
    {
        // One reading validates by chance (two characters wrong); the cell reading is one confusion from another code.
        var pick = CfCandidates.Pick(["LRSSFN93M02H501O", "LRSSFN93M02H5N1O", "LRSSFN93M03H501O"], ["LRSSFN93M03H501O"], null, AsOf);

        Assert.Null(pick.Code);
    }

    [Fact]
    public void Pick_GivesNothing_WhenTwoConfusionsOfTheReadingValidate()
    {
        // "MNCLCI88H56B254O": a 3 read as 2 and a Q as O; both the wrong code and Q-for-O must not be guessed between.
        var pick = CfCandidates.Pick(["MNCLCI88H56B354O", "MNCLCI88H56B354O"], ["MNCLCI88H56B354O"], ["", "", "", "", "", "", "", "", "", "", "", "", "2", "", "", ""], AsOf);

        Assert.Null(pick.Code);
    }

    [Fact]
    public void Pick_GivesNothing_WhenNoReadingHasSixteenCharacters()
    {
        Assert.Equal(new CfPick(null, false), CfCandidates.Pick(["RSSI FTSBTLIN224Y", "RNI MTNG2S65A2715T"], [], null, AsOf));
    }

    [Fact]
    public void Majority_TakesEachPositionsMostFrequentCharacter_WhenReadingsDisagree()
    {
        Assert.Equal("ABCD", CfCandidates.Majority(["ABXD", "ABCD", "QBCD"]));
    }
}

/// <summary>Preparing a zone for OCR: specks whitened, the line's band found.</summary>
public sealed class CardReaderZoneTests
{
    [Fact]
    public void RemoveSpecks_WhitensIsolatedDots_ButKeepsFragmentsBesideGlyphs()
    {
        using var zone = new Mat(40, 200, MatType.CV_8UC1, Scalar.White);
        zone.Rectangle(new Rect(10, 8, 6, 24), Scalar.Black, -1); // a glyph's stroke
        zone.Rectangle(new Rect(18, 30, 2, 2), Scalar.Black, -1); // a fragment 2 px from it (a Q's tail)
        zone.Rectangle(new Rect(150, 20, 2, 2), Scalar.Black, -1); // a speck of a fax's background

        CardReader.RemoveSpecks(zone);

        Assert.Equal(0, zone.At<byte>(31, 19));
        Assert.Equal(255, zone.At<byte>(21, 151));
        Assert.Equal(0, zone.At<byte>(20, 12));
    }

    [Fact]
    public void TextBand_LeavesOutTheLabelAbove_WhenAZoneCutsIntoIt()
    {
        using var zone = new Mat(60, 300, MatType.CV_8UC1, Scalar.White);
        for (var i = 0; i < 8; i++) zone.Rectangle(new Rect(10 + i * 14, 0, 8, 9), Scalar.Black, -1); // the label's lower half
        for (var i = 0; i < 16; i++) zone.Rectangle(new Rect(10 + i * 17, 22, 11, 28), Scalar.Black, -1); // the code's glyphs

        var band = CardReader.TextBand(zone);

        Assert.InRange(band.Top, 9, 22);
        Assert.InRange(band.Bottom, 50, 60);
        Assert.InRange(band.Left, 0, 10);
        Assert.InRange(band.Right, 283, 300);
    }
}
