using System.ComponentModel.DataAnnotations;

namespace VerifyPipeline.Cases.Forms;

/// <summary>The form's QR signing key, shared by the ingest host (which prints forms) and the workers (which read them
/// back). The development key is refused by a scaled configuration.</summary>
public sealed class FormOptions
{
    public const string Section = "Forms";
    [Required, MinLength(16)] public string HmacKey { get; set; } = FormQr.DevelopmentKey;
}
