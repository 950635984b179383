using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace VerifyPipeline.Cases.Forms;

/// <summary>What the QR code of a form says: which request, whose codice fiscale, which layout version.</summary>
public sealed record FormQrPayload(string RequestId, string CodiceFiscale, string FormVersion);

/// <summary>Why a QR text was refused. Format errors are told apart; a changed field and a wrong key are
/// indistinguishable by design (both are <see cref="MacMismatch"/>).</summary>
public enum FormQrError
{
    None,
    /// <summary>Null or empty text.</summary>
    Empty,
    /// <summary>Not five <c>|</c>-separated fields.</summary>
    WrongFieldCount,
    /// <summary>First field is not <c>VP1</c>: not one of our forms, or a scheme this version does not know.</summary>
    UnsupportedScheme,
    BadRequestId,
    BadCodiceFiscale,
    BadFormVersion,
    /// <summary>The MAC field is not 26 characters of the RFC 4648 base32 alphabet (upper case, no padding).</summary>
    BadMacEncoding,
    /// <summary>Well formed, but the MAC does not match: a field was altered, or it was signed with another key.</summary>
    MacMismatch,
}

/// <summary>
/// The text of the form's QR code (contract, scheme <c>VP1</c>):
/// <code>VP1|&lt;request id&gt;|&lt;codice fiscale&gt;|&lt;form version&gt;|&lt;mac&gt;</code>
/// <list type="bullet">
/// <item>request id: 1–48 of <c>A–Z a–z 0–9 . _ -</c> (the system's ids are 32 lower-case hex digits);</item>
/// <item>codice fiscale: 16 of <c>A–Z 0–9</c>, upper case (format only; the check character is the rules' business);</item>
/// <item>form version: 1–8 of <c>A–Z a–z 0–9 . -</c>;</item>
/// <item>mac: the first 16 bytes (128 bits) of HMAC-SHA256, keyed with the UTF-8 bytes of the configured key, over the
/// ASCII bytes of <c>VP1|&lt;request id&gt;|&lt;codice fiscale&gt;|&lt;form version&gt;</c>; written in RFC 4648 base32,
/// upper case, without padding: exactly 26 characters. Base32 rather than base64url because it has one case only and
/// no digits 0, 1, 8, 9 to confuse with O, I, B, g — a person can read it off a damaged copy.</item>
/// </list>
/// Everything is ASCII, so the QR symbol uses byte mode; the longest payload (105 bytes) fits version 8 at level Q
/// (108 bytes), the fixed symbol of <see cref="FormLayout"/>.
/// </summary>
public static class FormQr
{
    public const string Scheme = "VP1";
    public const int MacBytes = 16;
    public const int MacChars = 26; // ceil(128 / 5)
    public const int MaxRequestIdLength = 48, MaxFormVersionLength = 8;

    /// <summary>The key used when none is configured: development and tests only. A form signed with it proves
    /// nothing; production configuration must set its own secret (at least 32 random characters).</summary>
    public const string DevelopmentKey = "verify-pipeline-development-form-key-not-for-production";

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(FormQrPayload payload, string key) =>
        Encode(payload.RequestId, payload.CodiceFiscale, payload.FormVersion, key);

    /// <summary>The QR text for a request. The codice fiscale is trimmed and upper-cased; anything that could not be
    /// verified back (a bad id, codice fiscale or version) throws <see cref="ArgumentException"/>.</summary>
    public static string Encode(string requestId, string codiceFiscale, string formVersion, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var cf = (codiceFiscale ?? "").Trim().ToUpperInvariant();
        if (!IsValidRequestId(requestId))
            throw new ArgumentException($"request id must be 1–{MaxRequestIdLength} of A–Z a–z 0–9 . _ -", nameof(requestId));
        if (!IsValidCodiceFiscale(cf))
            throw new ArgumentException("codice fiscale must be 16 letters or digits", nameof(codiceFiscale));
        if (!IsValidFormVersion(formVersion))
            throw new ArgumentException($"form version must be 1–{MaxFormVersionLength} of A–Z a–z 0–9 . -", nameof(formVersion));
        var signed = $"{Scheme}|{requestId}|{cf}|{formVersion}";
        return $"{signed}|{Mac(signed, key)}";
    }

    /// <summary>Parses and authenticates a QR text exactly as decoded (no trimming: the caller strips what its
    /// decoder adds). The MAC is compared in constant time.</summary>
    public static bool TryVerify(string? payload, string key, [NotNullWhen(true)] out FormQrPayload? parsed, out FormQrError error)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        error = Check(payload, key, out parsed);
        return parsed is not null;
    }

    private static FormQrError Check(string? payload, string key, out FormQrPayload? parsed)
    {
        parsed = null;
        if (string.IsNullOrEmpty(payload)) return FormQrError.Empty;
        var f = payload.Split('|');
        if (f.Length != 5) return FormQrError.WrongFieldCount;
        if (f[0] != Scheme) return FormQrError.UnsupportedScheme;
        if (!IsValidRequestId(f[1])) return FormQrError.BadRequestId;
        if (!IsValidCodiceFiscale(f[2])) return FormQrError.BadCodiceFiscale;
        if (!IsValidFormVersion(f[3])) return FormQrError.BadFormVersion;
        if (f[4].Length != MacChars || !f[4].All(c => Base32Alphabet.Contains(c))) return FormQrError.BadMacEncoding;

        // Compare the encoded strings, not decoded bytes: 26 base32 characters carry 130 bits, and comparing only the
        // 128 decoded ones would let the 2 spare bits of the last character change unnoticed.
        var expected = Mac(payload[..payload.LastIndexOf('|')], key);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(f[4])))
            return FormQrError.MacMismatch;
        parsed = new FormQrPayload(f[1], f[2], f[3]);
        return FormQrError.None;
    }

    private static string Mac(string signed, string key)
    {
        var full = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(signed));
        return Base32(full.AsSpan(0, MacBytes));
    }

    /// <summary>RFC 4648 §6 base32, upper case, no padding.</summary>
    internal static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    public static bool IsValidRequestId(string? id) =>
        id is { Length: > 0 and <= MaxRequestIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public static bool IsValidCodiceFiscale(string? cf) =>
        cf is { Length: 16 } && cf.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c));

    public static bool IsValidFormVersion(string? v) =>
        v is { Length: > 0 and <= MaxFormVersionLength } && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
}
