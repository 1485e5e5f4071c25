namespace Arviointi.Web.Features.Shared;

/// <summary>
/// Anchor of the UI's Swedish and English texts (Resources/Features/Shared/SharedResource.sv.resx, .en.resx:
/// the path under Resources mirrors this namespace under the root namespace Arviointi.Web).
/// The Finnish text is the key, so Finnish needs no resource file and a missing translation shows Finnish.
/// </summary>
internal sealed class SharedResource;
