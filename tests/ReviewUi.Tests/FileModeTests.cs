using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Rules;
using VerifyPipeline.ReviewUi.Tests.Review;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>Issue 11: everything the service writes holds personal data, so it is the service user's only — folders 0700,
/// files 0600 — including a fax file that arrived 0644 from the gateway, and the data-protection key ring, which with
/// <c>Review:KeysCertificate</c> is also encrypted.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileModeTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The folder is 0700 and everything under it 0700 (folders) or 0600 (files); returns the files seen.</summary>
    private static int AssertPrivate(string folder)
    {
        Assert.True(Directory.Exists(folder), $"{folder} does not exist");
        Assert.Equal(Folder, File.GetUnixFileMode(folder));
        var files = 0;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null) continue;
            Assert.True(entry.UnixFileMode == (entry is DirectoryInfo ? Folder : File600), $"{entry.FullName} is {Convert.ToString((int)entry.UnixFileMode, 8)}");
            if (entry is FileInfo) files++;
        }
        return files;
    }

    private static async Task WaitForAsync(Func<bool> done, string what)
    {
        for (var i = 0; i < 300 && !done(); i++) await Task.Delay(100);
        Assert.True(done(), $"waited 30 s for {what}");
    }

    [Fact]
    public async Task EverythingWritten_IsOwnerOnly_Folders0700_Files0600()
    {
        var data = _tmp.Path;
        await using var host = ReviewFixture.Host("embedded", data);
        var supervisor = await ReviewFixture.SignInAsync(host, "supervisore"); // writes the key ring
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-MODE-0001", pages: 1);
        await host.Store.DecideAsync(caseId, [CaseState.InReview], new DecisionOutcome(CaseState.Rejected, "reject", [ReasonCodes.SignatureMismatch], "test", null,
            new OutboxDraft("mario.rossi@example.org", "Richiesta non accolta", "Testo.")), Actor.Person("revisore1"));
        var inbox = Path.Combine(data, "fax-inbox");
        Directory.CreateDirectory(inbox);
        var note = Path.Combine(inbox, "note.txt");
        await File.WriteAllTextAsync(note, "not a fax");
        File.SetUnixFileMode(note, File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // as a gateway would leave it: 0644
        await WaitForAsync(() => Directory.Exists(Path.Combine(data, "outbox")) && Directory.EnumerateFiles(Path.Combine(data, "outbox"), "*.eml").Any(), "the letter's .eml");
        await WaitForAsync(() => Directory.Exists(Path.Combine(data, "fax-quarantine")) && Directory.EnumerateFiles(Path.Combine(data, "fax-quarantine"), "*.reason.txt").Any(), "the quarantined note");

        Assert.True(AssertPrivate(Path.Combine(data, "blobs")) >= 2, "the original and its page"); // original, page(s)
        Assert.Equal(1, AssertPrivate(Path.Combine(data, "outbox")));
        Assert.Equal(2, AssertPrivate(Path.Combine(data, "fax-quarantine"))); // the file and its reason
        Assert.True(AssertPrivate(Path.Combine(data, "data", "keys")) >= 1, "the data-protection key");
        Assert.True(Directory.Exists(Path.Combine(data, "work")));
        AssertPrivate(Path.Combine(data, "work"));
        Assert.Equal(Folder, File.GetUnixFileMode(data)); // the SQLite database's folder
        foreach (var db in Directory.EnumerateFiles(data, "cases.db*")) Assert.Equal(File600, File.GetUnixFileMode(db));
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/supervision")).StatusCode);
    }

    [Fact]
    public async Task KeyRing_IsEncryptedWithTheCertificate_WhenReviewKeysCertificateIsSet_AndSignInStillWorks()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=VerifyPipeline key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pfx = Path.Combine(_tmp.Path, "keyring.pfx");
        await File.WriteAllBytesAsync(pfx, cert.Export(X509ContentType.Pkcs12, "a-test-password"));
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new()
        {
            ["Review:KeysCertificate"] = pfx,
            ["Review:KeysCertificatePassword"] = "a-test-password",
        });
        var supervisor = await ReviewFixture.SignInAsync(host, "supervisore");
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/supervision")).StatusCode);

        var key = Assert.Single(Directory.EnumerateFiles(Path.Combine(_tmp.Path, "data", "keys"), "*.xml"));
        var xml = await File.ReadAllTextAsync(key);
        Assert.Contains("encryptedSecret", xml);
        Assert.DoesNotContain("requiresEncryption", xml); // the marker of a key stored in the clear
    }
}
