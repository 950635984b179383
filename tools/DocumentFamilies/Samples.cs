using System.Text.Encodings.Web;
using System.Text.Json;

namespace VerifyPipeline.DocumentFamilies;

public static partial class Families
{
    private static readonly JsonSerializerOptions LabelJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes, for every family, its drawn sides and every capture and submission of one instance into
    /// <paramref name="dir"/>, with <c>labels.json</c> (one <see cref="ItemLabel"/> per file), for eyeballing and for
    /// measuring a reader. <paramref name="familyIds"/> limits it to some families (all by default). Returns the labels.
    /// </summary>
    public static IReadOnlyList<ItemLabel> WriteSamples(string dir, int seed, IReadOnlyCollection<string>? familyIds = null)
    {
        Directory.CreateDirectory(dir);
        var labels = new List<ItemLabel>();
        var i = 0;
        foreach (var family in All)
        {
            var s = seed + 7919 * i++;
            if (familyIds is not null && !familyIds.Contains(family.Id)) continue;
            var person = People.Make(s);
            using var doc = Draw(family, person, s);
            var stem = $"{family.Id}-{(uint)s:x8}";

            void Write(string name, byte[] bytes, string capture, double dx, double dy, IReadOnlyList<SidePage> sides, int? formPage = null)
            {
                File.WriteAllBytes(Path.Combine(dir, name), bytes);
                labels.Add(new ItemLabel(name, capture, family.Id, family.DocumentType, dx, dy, sides, formPage, null, doc.Fields));
            }

            void WriteCapture(string capture, IReadOnlyList<CapturedFile> files)
            {
                for (var k = 0; k < files.Count; k++)
                {
                    var f = files[k];
                    var pages = f.SidesByPage.SelectMany((names, p) => names.Select(n => new SidePage(n, p + 1))).ToList();
                    Write($"{stem}-{capture}{(files.Count > 1 ? $"-{k + 1}" : "")}{f.Extension}", f.Bytes, capture, f.DpiX, f.DpiY, pages);
                }
            }

            foreach (var side in doc.Sides)
                Write($"{stem}-{side.Name}.png", side.EncodePng(), "drawn", side.PxPerMm * 25.4, side.PxPerMm * 25.4, [new SidePage(side.Name, 1)]);
            WriteCapture("scan300", Captures.Scan300(doc, s));
            WriteCapture("scan150", Captures.Scan150(doc, s + 1));
            foreach (var side in doc.Sides)
                WriteCapture($"phone-{side.Name}", [Captures.Phone(side, s + side.Name.Length)]);
            WriteCapture("fax-fine-g4", [Captures.Fax(doc, FaxMode.Fine, g4: true, s)]);
            WriteCapture("fax-standard-g3", [Captures.Fax(doc, FaxMode.Standard, g4: false, s + 2)]);
            foreach (var kind in Enum.GetValues<SubmissionKind>())
            {
                var sub = Submissions.Build(doc, person, kind, s + (int)kind);
                File.WriteAllBytes(Path.Combine(dir, sub.FileName), sub.Bytes);
                labels.Add(sub.Label);
            }
        }
        File.WriteAllText(Path.Combine(dir, "labels.json"), JsonSerializer.Serialize(labels, LabelJson));
        return labels;
    }
}
