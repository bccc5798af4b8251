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
        Include(new PolicyTableRules());
        Include(new TextSafetyRules());
    }
}
