using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Cases.Tests.Forms;

public class FormQrTests
{
    private const string Key = FormSamples.Key;
    private const string Cf = "DMCMLC85L54H501A";
    private static readonly string Good = FormQr.Encode(FormSamples.RequestId, Cf, "1", Key);

    [Fact]
    public void Encode_FollowsTheDocumentedFormat_WithTruncatedHmacInBase32()
    {
        Assert.Matches(new Regex(@"^VP1\|0195f2a4c3b87d2e9a1b4c5d6e7f8091\|DMCMLC85L54H501A\|1\|[A-Z2-7]{26}$"), Good);

        // Independent recomputation: first 16 bytes of HMAC-SHA256 over "VP1|id|cf|version", RFC 4648 base32, no padding.
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.ASCII.GetBytes($"VP1|{FormSamples.RequestId}|{Cf}|1"))[..16];
        Assert.Equal(Base32Reference(mac), Good.Split('|')[4]);
    }

    [Fact]
    public void TryVerify_ReturnsTheFields_WhenPayloadIsIntact()
    {
        Assert.True(FormQr.TryVerify(Good, Key, out var parsed, out var error));
        Assert.Equal(FormQrError.None, error);
        Assert.Equal(new FormQrPayload(FormSamples.RequestId, Cf, "1"), parsed);
    }

    [Fact]
    public void Encode_NormalisesCodiceFiscaleToUpperCase()
    {
        var p = FormQr.Encode(FormSamples.RequestId, " dmcmlc85l54h501a ", "1", Key);
        Assert.Equal(Good, p);
    }

    public static TheoryData<string, string, FormQrError> Tampered()
    {
        var f = Good.Split('|');
        string With(int i, string v) { var c = (string[])f.Clone(); c[i] = v; return string.Join('|', c); }
        var mac = f[4];
        var flipped = (mac[0] == 'A' ? 'B' : 'A') + mac[1..];
        // The last base32 character carries 3 MAC bits and 2 spare bits; changing only the spare bits must still fail.
        var lastIndex = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".IndexOf(mac[^1]);
        var spare = mac[..^1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[lastIndex ^ 1];
        return new()
        {
            { "request id changed", With(1, "0195f2a4c3b87d2e9a1b4c5d6e7f8092"), FormQrError.MacMismatch },
            { "codice fiscale changed", With(2, "DMCMLC85L54H501B"), FormQrError.MacMismatch },
            { "form version changed", With(3, "2"), FormQrError.MacMismatch },
            { "mac changed", With(4, flipped), FormQrError.MacMismatch },
            { "mac spare bits changed", With(4, spare), FormQrError.MacMismatch },
            { "mac lower-cased", With(4, mac.ToLowerInvariant()), FormQrError.BadMacEncoding },
            { "mac truncated", With(4, mac[..^1]), FormQrError.BadMacEncoding },
            { "mac with base32 padding", With(4, mac + "======"), FormQrError.BadMacEncoding },
            { "mac not base32", With(4, mac[..^1] + "1"), FormQrError.BadMacEncoding },
            { "trailing newline", Good + "\n", FormQrError.BadMacEncoding },
            { "other scheme", With(0, "VP2"), FormQrError.UnsupportedScheme },
            { "lower-case scheme", With(0, "vp1"), FormQrError.UnsupportedScheme },
            { "field missing", string.Join('|', f[0], f[1], f[2], f[4]), FormQrError.WrongFieldCount },
            { "field added", Good + "|x", FormQrError.WrongFieldCount },
            { "not ours at all", "https://example.org/", FormQrError.WrongFieldCount },
            { "empty", "", FormQrError.Empty },
            { "request id empty", With(1, ""), FormQrError.BadRequestId },
            { "request id with space", With(1, "0195 f2a4"), FormQrError.BadRequestId },
            { "codice fiscale lower case", With(2, Cf.ToLowerInvariant()), FormQrError.BadCodiceFiscale },
            { "codice fiscale short", With(2, Cf[..15]), FormQrError.BadCodiceFiscale },
            { "form version empty", With(3, ""), FormQrError.BadFormVersion },
            { "form version too long", With(3, "123456789"), FormQrError.BadFormVersion },
        };
    }

    [Theory]
    [MemberData(nameof(Tampered))]
    public void TryVerify_FailsWithItsSpecificError_WhenPayloadIsTampered(string what, string payload, FormQrError expected)
    {
        var ok = FormQr.TryVerify(payload, Key, out var parsed, out var error);
        Assert.False(ok, what);
        Assert.Null(parsed);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryVerify_FailsWithMacMismatch_WhenKeyIsWrong()
    {
        Assert.False(FormQr.TryVerify(Good, Key + "x", out _, out var error));
        Assert.Equal(FormQrError.MacMismatch, error);
        Assert.False(FormQr.TryVerify(Good, FormQr.DevelopmentKey, out _, out error));
        Assert.Equal(FormQrError.MacMismatch, error);
    }

    [Fact]
    public void TryVerify_FailsWithEmpty_WhenNull()
    {
        Assert.False(FormQr.TryVerify(null, Key, out _, out var error));
        Assert.Equal(FormQrError.Empty, error);
    }

    [Theory]
    [InlineData("", Cf, "1")]
    [InlineData("id|with|pipes", Cf, "1")]
    [InlineData("0123456789012345678901234567890123456789012345678", Cf, "1")] // 49 characters
    [InlineData(FormSamples.RequestId, "DMCMLC85L54H501", "1")]
    [InlineData(FormSamples.RequestId, "DMCMLC85L54H501À", "1")]
    [InlineData(FormSamples.RequestId, Cf, "")]
    [InlineData(FormSamples.RequestId, Cf, "v|1")]
    public void Encode_Throws_WhenAFieldCouldNotBeVerifiedBack(string id, string cf, string version)
    {
        Assert.Throws<ArgumentException>(() => FormQr.Encode(id, cf, version, Key));
    }

    [Fact]
    public void Encode_Throws_WhenKeyIsEmpty()
    {
        Assert.ThrowsAny<ArgumentException>(() => FormQr.Encode(FormSamples.RequestId, Cf, "1", ""));
    }

    [Fact]
    public void LongestPayload_FitsTheFixedQrSymbol()
    {
        var longest = FormQr.Encode(new string('a', FormQr.MaxRequestIdLength), Cf, new string('9', FormQr.MaxFormVersionLength), Key);
        Assert.Equal(105, longest.Length);
        var modules = FormRenderer.QrModules(longest);
        Assert.Equal(FormLayout.QrSymbolModules, modules.GetLength(0));
    }

    private static string Base32Reference(byte[] data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(data.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        bits = bits.PadRight((bits.Length + 4) / 5 * 5, '0');
        return string.Concat(Enumerable.Range(0, bits.Length / 5).Select(i => alphabet[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
    }
}
