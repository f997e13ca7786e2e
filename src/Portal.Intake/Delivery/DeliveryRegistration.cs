using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Intake.Delivery;

public static class DeliveryRegistration
{
    /// <summary>
    /// The outbox store, the configured connector and, unless <c>Intake:Delivery:Relay:Enabled</c>
    /// is false, the relay as a hosted service. Expects <c>IntakeDb</c> and <c>TimeProvider</c> registered.
    /// </summary>
    /// <param name="dataDirectory">The resolved data directory, for the Directory connector's default folder.</param>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, string> dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RelaySettings>()
            .Bind(configuration.GetSection(RelaySettings.Section))
            .ValidateDataAnnotations()
            .Validate(s => s.Delivery.Relay.ScheduleParts.Length > 0 && s.Delivery.Relay.ScheduleParts.All(IsDuration),
                "Intake:Delivery:Relay:Schedule must list durations such as 0s, 5s, 5m, 2h.")
            .Validate(s => s.Delivery.Connector != "Webhook" || WebhookConnector.Validate(s.Delivery.Webhook).Count == 0,
                "Intake:Delivery:Webhook is incomplete: it needs an https Url and a whsec_ Secret (and a PrivateKey for Body Opened).")
            .Validate(s => s.Delivery.Connector != "Email" || Email.EmailConnector.Validate(s.Delivery.Email).Count == 0,
                "Intake:Delivery:Email is incomplete or invalid: it needs Host, From and To (see docs/delivery.md).")
            .ValidateOnStart();
        services.AddSingleton<DeliverySignal>();
        services.AddScoped<OutboxStore>();
        services.AddSingleton<IReportConnector>(sp =>
        {
            var delivery = sp.GetRequiredService<IOptions<RelaySettings>>().Value.Delivery;
            var clock = sp.GetRequiredService<TimeProvider>();
            return delivery.Connector switch
            {
                "Webhook" => new WebhookConnector(delivery.Webhook, clock),
                "Email" => new Email.EmailConnector(delivery.Email, clock, sp.GetService<ILogger<Email.EmailConnector>>()),
                _ => new DirectoryConnector(delivery.Directory.Path ?? Path.Combine(dataDirectory(sp), "case-inbox")),
            };
        });
        services.AddSingleton<OutboxRelay>();
        if (configuration.GetValue("Intake:Delivery:Relay:Enabled", true))
        {
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<OutboxRelay>());
        }

        return services;
    }

    private static bool IsDuration(string text)
    {
        try
        {
            RetrySchedule.Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
