namespace PostfixConfig.Diagnostics;

/// <content>Profiles and master.cf services.</content>
public static partial class DiagnosticCodes
{
    /// <summary><c>profile</c> names no known profile (modern, intermediate, old).</summary>
    public const string UnknownProfile = "PFX0020";

    /// <summary><c>openssl_version</c> is not an OpenSSL version number.</summary>
    public const string InvalidOpenSslVersion = "PFX0021";

    /// <summary>A service in <c>services</c> that PostfixConfig cannot manage (only submission, submissions, smtps and smtp).</summary>
    public const string UnknownService = "PFX1009";

    /// <summary>The profile cannot be set up for the target release or OpenSSL version; the message says what is missing.</summary>
    public const string ProfileNotExpressible = "PFX3101";

    /// <summary>Information about a profile: the OpenSSL version assumed, or what it could not set and what is used instead.</summary>
    public const string ProfileNote = "PFX3102";

    /// <summary>A submission service (587 or 465) where TLS is not mandatory, so passwords can cross the network in clear text.</summary>
    public const string SubmissionTlsNotRequired = "PFX3103";

    /// <summary>Wrapper mode on the STARTTLS submission port 587, or no wrapper mode on port 465, where clients start TLS at once.</summary>
    public const string WrapperModeMismatch = "PFX3104";

    /// <summary>An override of the port 25 service that makes TLS mandatory (RFC 3207: a public MX must accept mail without TLS).</summary>
    public const string MandatoryTlsOnPort25Service = "PFX3105";

    /// <summary>A service setting that master.cf cannot carry (a value with white space before 3.0, a bad listen address, two services on one address).</summary>
    public const string InvalidServiceSetting = "PFX3106";

    /// <summary>master.cf is rendered from Debian's stock file, whose services need Postfix 3.0 or later.</summary>
    public const string MasterCfNotRendered = "PFX3107";

    /// <summary><c>--show-origin</c>: an effective setting and where it comes from (main, profile, service default, service).</summary>
    public const string ValueOrigin = "PFX9004";
}
