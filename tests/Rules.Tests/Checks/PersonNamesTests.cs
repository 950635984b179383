using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Tests.Checks;

public sealed class PersonNamesTests
{
    [Theory]
    [InlineData("D'Àmico", "DAMICO")]
    [InlineData("  Maria   Lucía ", "MARIA LUCIA")]
    [InlineData("Rossi-Bianchi", "ROSSI BIANCHI")]
    [InlineData("dell’Òrto", "DELLORTO")]
    [InlineData("", "")]
    public void Fold_RemovesAccentsApostrophesAndExtraSpaces_ForItalianNames(string name, string folded) =>
        Assert.Equal(folded, PersonNames.Fold(name));

    [Fact]
    public void SameGivenNames_IsFalse_WhenANameIsMissing()
    {
        Assert.False(PersonNames.SameGivenNames("Maria", "Maria Lucia"));
        Assert.False(PersonNames.SameGivenNames("", ""));
    }
}
