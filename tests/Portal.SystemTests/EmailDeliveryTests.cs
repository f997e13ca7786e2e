using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Intake.Sealing;
using Portal.SystemTests.Infrastructure;

namespace Portal.SystemTests;

/// <summary>The portal delivering by email to a real SMTP server (Debian's aiosmtpd) on loopback.</summary>
public sealed partial class EmailDeliveryTests
{
    [Fact]
    public async Task Reports_ArriveAsMail_OneEach_WithNoPlaintext_AndOpenWithThePrivateKey()
    {
        await using var world = await DeliveryWorld.StartAsync();
        var maildir = Path.Combine(world.Folder, "maildir");
        var smtpPort = ChildProcess.FreePort();
        var smtp = world.Own(ChildProcess.StartProgram("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{smtpPort}", "-c", "aiosmtpd.handlers.Mailbox", maildir]));
        await WaitForPortAsync(smtpPort, smtp);

        var portal = world.Own(new PortalProcess(world.DataDirectory, new Dictionary<string, string?>
        {
            ["Intake__Sealing__PublicKey"] = world.PublicKey,
            ["Intake__Delivery__Connector"] = "Email",
            ["Intake__Delivery__Email__Host"] = "127.0.0.1",
            ["Intake__Delivery__Email__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Intake__Delivery__Email__From"] = "portal@larchwood.example",
            ["Intake__Delivery__Email__To"] = "safe-contact@larchwood.example",
        }));
        await portal.StartAsync();

        var run = Guid.NewGuid().ToString("N")[..8];
        using var sender = new FormSender(portal.BaseAddress);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(303, await sender.SendAsync(await sender.OpenAsync(), DeliveryWorld.MarkerFor(run, i)));
        }

        await DeliveryWorld.WaitForAsync(
            async () => (await DeliveryWorld.HealthAsync(portal.BaseAddress)) is { Pending: 0, Delivered: 3 },
            TimeSpan.FromSeconds(30),
            () => portal.Tail + "\n" + smtp.Tail());

        var messages = Directory.GetFiles(Path.Combine(maildir, "new")).Select(File.ReadAllText).ToList();
        Assert.Equal(3, messages.Count);
        using var key = CaseSystemKeys.LoadPrivateKey(world.PrivateKey);
        var opened = new List<string>();
        foreach (var message in messages)
        {
            // Nothing of the report is readable in the mail: no marker, no address, no message text.
            Assert.DoesNotContain(run, message, StringComparison.Ordinal);
            Assert.DoesNotContain("reader@example.org", message, StringComparison.Ordinal);
            Assert.DoesNotContain("Please reply", message, StringComparison.Ordinal);
            Assert.Contains("Subject: Secure message", message, StringComparison.Ordinal);

            var attachment = Attachment().Match(message);
            Assert.True(attachment.Success, message);
            var envelope = Encoding.ASCII.GetString(Convert.FromBase64String(attachment.Groups[1].Value.Replace("\r\n", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)));
            opened.Add(Encoding.UTF8.GetString(ReportOpener.Open(envelope, key)));
        }

        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => DeliveryWorld.MarkerFor(run, i)).Order(),
            opened.Select(o => Regex.Match(o, "mk-[0-9a-f]{8}-[0-9]{5}").Value).Order());
    }

    private static async Task WaitForPortAsync(int port, ChildProcess process)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("aiosmtpd exited (scripts/test installs Debian's python3-aiosmtpd):\n" + process.Tail());
                }

                await Task.Delay(100);
            }
        }

        throw new TimeoutException("aiosmtpd did not listen:\n" + process.Tail());
    }

    [GeneratedRegex("Content-Type: application/jose[^\\n]*\\n(?:[^\\n]+\\n)*?\\r?\\n((?:[A-Za-z0-9+/=]+\\r?\\n)+)", RegexOptions.Multiline)]
    private static partial Regex Attachment();
}
