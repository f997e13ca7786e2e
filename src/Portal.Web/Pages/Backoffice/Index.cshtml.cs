using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Portal.Intake.Delivery;
using Portal.Web.Backoffice;

namespace Portal.Web.Pages.Backoffice;

[Authorize(Policy = StaffPolicies.Staff)]
public sealed class DashboardModel(UserManager<StaffUser> users, OutboxStore outbox, IOptions<RelaySettings> relay) : PageModel
{
    public string Email { get; private set; } = "";

    public IList<string> Roles { get; private set; } = [];

    /// <summary>Counts only, for administrators and publishers.</summary>
    public DeliveryStatus? Delivery { get; private set; }

    public double RetentionDays => relay.Value.RetentionDays;

    public async Task OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        Email = user?.Email ?? "";
        Roles = user is null ? [] : await users.GetRolesAsync(user);
        if (User.IsInRole(StaffRoles.Administrator) || User.IsInRole(StaffRoles.Publisher))
        {
            Delivery = await outbox.StatusAsync(HttpContext.RequestAborted);
        }
    }
}
