using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Arviointi.Web.Features.Shared;

/// <summary>
/// What pages accept of a request, so that a malformed one gets a 4xx and the status page instead of a 500
/// (each rule answers a failure RespondentFuzzTests found).
/// </summary>
internal static class PageRequests
{
    public static IMvcBuilder AddPageRequestRules(this IMvcBuilder mvc) => mvc.AddMvcOptions(o =>
    {
        // No form or query here uses jQuery's bracket keys ("a[b]"), and their reader throws on a key with an unclosed bracket.
        o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
        o.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        o.Filters.Add(new HandlerRequiredFilter());
    });
}

/// <summary>
/// A page with handlers renders only after one of them ran: for a method it has none for (PUT, PATCH, TRACE) the survey
/// page would render with no respondent to show. GET and HEAD still render a page that only handles posts, such as the code page.
/// </summary>
internal sealed class HandlerRequiredFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var method = context.HttpContext.Request.Method;
        if (context.HandlerMethod is null && context.ActionDescriptor.HandlerMethods.Count > 0 && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        }
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
