using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Pins;

namespace VerifyPipeline.Worker.Tests.Cli;

/// <summary><c>verify pins import</c>: the local PIN directory filled from a CSV file — every bad row named by its line,
/// nothing written while any is bad, and a second run of the same file changing nothing.</summary>
public sealed class PinsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vp-pins-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Header = "reference,codice_fiscale,status,email,phone\n";

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Db => Path.Combine(_dir, "cases.db");

    [Fact]
    public void Parse_NamesEveryBadRowByItsLine_AndKeepsTheGoodOnes()
    {
        var text = Header +
            "PIN-AAAA0001,RSSMRA80A01H501U,online,mario.rossi@example.org,+39 06 1234567\n" +
            "# a comment\n" +
            "PIN-AAAA0002,RSSMRA80A01H501X,online,,\n" +          // check character wrong
            "PIN AAAA0003,RSSMRA80A01H501U,sospeso,not-an-address,\n" + // reference with a space, status unknown, bad e-mail
            "PIN-AAAA0001,RSSMRA80A01H501U,revoked,,\n" +         // repeats line 2
            "PIN-AAAA0004,RSSMRA80A01H501U,dispositivo\n";          // too few fields
        var parsed = PinCsv.Parse(new StringReader(text), new DateOnly(2026, 12, 2));

        Assert.Equal([2], parsed.Rows.Select(r => r.Line));
        Assert.Collection(parsed.Errors,
            e => Assert.StartsWith("line 4: codice_fiscale is not valid (check character", e),
            e => { Assert.StartsWith("line 5: reference must be", e); Assert.Contains("status must be online, dispositivo or revoked", e); Assert.Contains("email is not one e-mail address", e); },
            e => Assert.StartsWith("line 6: reference repeats line 2", e),
            e => Assert.StartsWith("line 7: 3 fields, the header has 5", e));
    }

    [Fact]
    public void Parse_RefusesAHeaderWithoutTheRequiredColumns()
    {
        var parsed = PinCsv.Parse(new StringReader("pin,cf\nPIN-1,RSSMRA80A01H501U\n"), new DateOnly(2026, 12, 2));
        Assert.Empty(parsed.Rows);
        Assert.Contains("missing: reference, codice_fiscale, status", Assert.Single(parsed.Errors));
    }

    [Fact]
    public async Task Import_WritesNothingAndExits2_WhenAnyRowIsBad()
    {
        var file = Write("bad.csv", Header + "PIN-BBBB0001,RSSMRA80A01H501U,online,,\nPIN-BBBB0002,RSSMRA80A01H501U,maybe,,\n");
        var (exit, _, err) = VerifyProcess.Run("pins", "import", file, "--db", Db);

        Assert.Equal(2, exit);
        Assert.Contains("line 3: status must be online, dispositivo or revoked", err);
        Assert.Contains("nothing was imported", err);
        var store = await OpenAsync();
        Assert.Null(await store.GetPinAsync("PIN-BBBB0001"));
    }

    [Fact]
    public async Task Import_IsIdempotent_AndReportsWhatItAddedChangedAndLeft()
    {
        var first = Write("pins.csv", Header +
            "PIN-CCCC0001,RSSMRA80A01H501U,online,mario.rossi@example.org,+39 06 1234567\n" +
            "PIN-CCCC0002,BNCLRA75M41F205A,revoked,,\n");
        var (exit, stdout, err) = VerifyProcess.Run("pins", "import", first, "--db", Db);
        Assert.True(exit == 0, err);
        Assert.Equal((2, 0, 0), Counts(stdout));

        (exit, stdout, _) = VerifyProcess.Run("pins", "import", first, "--db", Db);
        Assert.Equal((0, (0, 0, 2)), (exit, Counts(stdout)));

        var second = Write("pins2.csv", Header +
            "PIN-CCCC0001,RSSMRA80A01H501U,dispositivo,mario.rossi@example.org,+39 06 7654321\n" +
            "PIN-CCCC0002,BNCLRA75M41F205A,revoked,,\n" +
            "PIN-CCCC0003,PRSLEI62E22F205M,online,\"elisa.parisi@example.org\",\n");
        (exit, stdout, _) = VerifyProcess.Run("pins", "import", second, "--db", Db);
        Assert.Equal((0, (1, 1, 1)), (exit, Counts(stdout)));
        var changed = JsonDocument.Parse(stdout).RootElement.GetProperty("lines")[0];
        Assert.Equal(["status", "phone"], changed.GetProperty("changed").EnumerateArray().Select(x => x.GetString()));

        var store = await OpenAsync();
        var pin = (await store.GetPinAsync("PIN-CCCC0001"))!;
        Assert.Equal((PinType.Dispositivo, false, "mario.rossi@example.org", "+39 06 7654321"), (pin.Type, pin.Revoked, pin.RegisteredEmail, pin.RegisteredPhone));
        Assert.True((await store.GetPinAsync("PIN-CCCC0002"))!.Revoked);
        Assert.Equal("elisa.parisi@example.org", (await store.GetPinAsync("PIN-CCCC0003"))!.RegisteredEmail);
    }

    [Fact]
    public void Import_Exits3_WhenTheFileIsMissing()
    {
        var (exit, _, err) = VerifyProcess.Run("pins", "import", Path.Combine(_dir, "none.csv"), "--db", Db);
        Assert.Equal(3, exit);
        Assert.Contains("no such file", err);
    }

    private static (int, int, int) Counts(string stdout)
    {
        var r = JsonDocument.Parse(stdout).RootElement;
        return (r.GetProperty("added").GetInt32(), r.GetProperty("changed").GetInt32(), r.GetProperty("unchanged").GetInt32());
    }

    private async Task<CaseStore> OpenAsync()
    {
        var db = new Database(CaseDbProvider.Sqlite, Db, _dir);
        await db.MigrateAsync();
        return new CaseStore(db, TimeProvider.System);
    }
}
