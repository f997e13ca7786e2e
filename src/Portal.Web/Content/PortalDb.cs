using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;

namespace Portal.Web.Content;

/// <summary>Published content and its versions, staff accounts (ASP.NET Core Identity) and the audit log: one store, so an edit and its audit entry commit together.</summary>
public sealed class PortalDb(DbContextOptions<PortalDb> options) : IdentityDbContext<StaffUser, IdentityRole, string>(options)
{
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    public DbSet<PageDocument> Documents => Set<PageDocument>();

    public DbSet<PageVersion> PageVersions => Set<PageVersion>();

    public DbSet<PageVariant> PageVariants => Set<PageVariant>();

    public DbSet<Helpline> Helplines => Set<Helpline>();

    public DbSet<HelplineText> HelplineTexts => Set<HelplineText>();

    public DbSet<SiteLanguageRow> Languages => Set<SiteLanguageRow>();

    public DbSet<SiteSettingsRow> Settings => Set<SiteSettingsRow>();

    public DbSet<BankHoliday> BankHolidays => Set<BankHoliday>();

    public DbSet<Picture> Pictures => Set<Picture>();

    public DbSet<ContentRevision> Revisions => Set<ContentRevision>();

    public DbSet<Localization.UiStringOverride> UiStrings => Set<Localization.UiStringOverride>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<StaffUser>(e =>
        {
            e.ToTable("staff_users");
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.Languages).HasMaxLength(200);
        });
        builder.Entity<IdentityRole>().ToTable("staff_roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("staff_user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("staff_user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("staff_user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("staff_user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("staff_role_claims");
        builder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(x => x.Id);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.ActorName).HasMaxLength(256);
            e.Property(x => x.Trigger).HasMaxLength(20);
            e.Property(x => x.Action).HasMaxLength(60);
            e.Property(x => x.Target).HasMaxLength(200);
            e.Property(x => x.Culture).HasMaxLength(20);
            e.Property(x => x.Audience).HasMaxLength(20);
            e.Property(x => x.Detail).HasMaxLength(1000);
            e.HasIndex(x => x.AtUtc);
        });
        builder.Entity<PageDocument>(e =>
        {
            e.ToTable("documents");
            e.HasKey(x => x.Slug);
            e.Property(x => x.Slug).HasMaxLength(100);
            e.Property(x => x.Layout).HasMaxLength(40);
        });
        builder.Entity<PageVersion>(e =>
        {
            e.ToTable("page_versions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Slug).HasMaxLength(100);
            e.Property(x => x.Culture).HasMaxLength(20);
            e.Property(x => x.Audience).HasMaxLength(20);
            e.Property(x => x.TranslationState).HasMaxLength(20);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.Slug, x.Culture, x.Audience, x.Number }).IsUnique();
            e.HasOne<PageDocument>().WithMany().HasForeignKey(x => x.Slug).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<PageVariant>(e =>
        {
            e.ToTable("page_variants");
            e.HasKey(x => new { x.Slug, x.Culture, x.Audience });
            e.Property(x => x.Slug).HasMaxLength(100);
            e.Property(x => x.Culture).HasMaxLength(20);
            e.Property(x => x.Audience).HasMaxLength(20);
            e.HasOne<PageDocument>().WithMany().HasForeignKey(x => x.Slug).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<PageVersion>().WithMany().HasForeignKey(x => x.PublishedVersionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<PageVersion>().WithMany().HasForeignKey(x => x.DraftVersionId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.State).HasMaxLength(20);
            e.Property(x => x.LastEditedBy).HasMaxLength(100);
            e.Property(x => x.ApprovedBy).HasMaxLength(100);
            e.HasIndex(x => x.ScheduledPublishUtc);
            e.HasIndex(x => x.ScheduledUnpublishUtc);
        });
        builder.Entity<Helpline>(e =>
        {
            e.ToTable("helplines");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(100);
        });
        builder.Entity<HelplineText>(e =>
        {
            e.ToTable("helpline_texts");
            e.HasKey(x => new { x.HelplineId, x.Culture });
            e.Property(x => x.Culture).HasMaxLength(20);
            e.HasOne<Helpline>().WithMany().HasForeignKey(x => x.HelplineId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<SiteLanguageRow>(e =>
        {
            e.ToTable("languages");
            e.HasKey(x => x.Tag);
            e.Property(x => x.Tag).HasMaxLength(20);
        });
        builder.Entity<SiteSettingsRow>(e =>
        {
            e.ToTable("site_settings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        builder.Entity<BankHoliday>(e =>
        {
            e.ToTable("bank_holidays");
            e.HasKey(x => x.Date);
        });
        builder.Entity<Picture>(e =>
        {
            e.ToTable("pictures");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(100);
        });
        builder.Entity<ContentRevision>(e =>
        {
            e.ToTable("content_revision");
            e.HasKey(x => x.Id);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        builder.Entity<Localization.UiStringOverride>(e =>
        {
            e.ToTable("ui_strings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Culture).HasMaxLength(20);
            e.Property(x => x.Key).HasMaxLength(16);
            e.Property(x => x.State).HasMaxLength(20);
            e.Property(x => x.UpdatedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.Culture, x.Key }).IsUnique();
            e.Ignore(x => x.FormList);
            e.Ignore(x => x.MadeFrom);
        });
        builder.Entity<DataProtectionKey>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.FriendlyName).HasMaxLength(200);
        });
    }
}
