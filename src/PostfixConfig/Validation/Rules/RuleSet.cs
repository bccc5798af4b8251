using FluentValidation;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// A validator for one concern. Subclasses implement <see cref="Check"/>; a fault inside a rule
/// becomes a <see cref="DiagnosticCodes.RuleFault"/> diagnostic instead of an exception, so that
/// no input makes validation throw.
/// </summary>
internal abstract class RuleSet : AbstractValidator<ValidationTarget>
{
    protected RuleSet() => RuleFor(t => t.Config).Custom((_, context) => Run(context));

    /// <summary>Reports the diagnostics of this concern for <paramref name="t"/>.</summary>
    protected abstract void Check(ValidationContext<ValidationTarget> context, ValidationTarget t);

    private void Run(ValidationContext<ValidationTarget> context)
    {
        try
        {
            Check(context, context.InstanceToValidate);
        }
#pragma warning disable CA1031 // Validation must not throw for any input; a rule's own bug is reported as a diagnostic.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            context.Error(DiagnosticCodes.RuleFault, null,
                $"The {GetType().Name} checks failed internally ({e.GetType().Name}: {e.Message}); the other checks ran. Please report this with the input.",
                null);
        }
    }
}
