using FluentValidation;
using PostfixConfig.Validation.Rules;

namespace PostfixConfig.Validation;

/// <summary>
/// All validation rules, composed from one validator per concern (see <c>Validation/Rules/</c>).
/// To add a rule, add it to the validator of its concern, or add a validator here.
/// </summary>
internal sealed class TlsConfigurationValidator : AbstractValidator<ValidationTarget>
{
    public static TlsConfigurationValidator Instance { get; } = new();

    public TlsConfigurationValidator()
    {
        Include(new ParameterNameRules());
        Include(new ValueKindRules());
        Include(new ExpansionRules());
        Include(new HostNameRules());
        Include(new CompatibilityLevelRules());
        Include(new MapReferenceRules());
        Include(new ProtocolRules());
        Include(new ClientLegacyProtocolRules());
        Include(new CipherRules());
        Include(new LegacySwitchRules());
        Include(new ServerTlsRules());
        Include(new CertificateParameterRules());
        Include(new ClientTlsRules());
        Include(new FingerprintRules());
        Include(new DaneRules());
        Include(new SessionCacheRules());
        Include(new OpenSslRules());
        Include(new TlsproxyRules());
        Include(new PolicyTableRules());
        Include(new PolicyAttributeRules());
        Include(new SniRules());
        Include(new MtaStsRules());
        Include(new TlsRptRules());
        Include(new PublishRules());
        Include(new TextSafetyRules());
    }
}
