using Microsoft.EntityFrameworkCore;

namespace Portal.Web.Content;

public sealed class PortalDb(DbContextOptions<PortalDb> options) : DbContext(options)
{
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

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PageDocument>(e =>
        {
            e.ToTable("documents");
            e.HasKey(x => x.Slug);
            e.Property(x => x.Slug).HasMaxLength(100);
            e.Property(x => x.Layout).HasMaxLength(40);
        });
        modelBuilder.Entity<PageVersion>(e =>
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
        modelBuilder.Entity<PageVariant>(e =>
        {
            e.ToTable("page_variants");
            e.HasKey(x => new { x.Slug, x.Culture, x.Audience });
            e.Property(x => x.Slug).HasMaxLength(100);
            e.Property(x => x.Culture).HasMaxLength(20);
            e.Property(x => x.Audience).HasMaxLength(20);
            e.HasOne<PageDocument>().WithMany().HasForeignKey(x => x.Slug).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<PageVersion>().WithMany().HasForeignKey(x => x.PublishedVersionId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Helpline>(e =>
        {
            e.ToTable("helplines");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(100);
        });
        modelBuilder.Entity<HelplineText>(e =>
        {
            e.ToTable("helpline_texts");
            e.HasKey(x => new { x.HelplineId, x.Culture });
            e.Property(x => x.Culture).HasMaxLength(20);
            e.HasOne<Helpline>().WithMany().HasForeignKey(x => x.HelplineId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SiteLanguageRow>(e =>
        {
            e.ToTable("languages");
            e.HasKey(x => x.Tag);
            e.Property(x => x.Tag).HasMaxLength(20);
        });
        modelBuilder.Entity<SiteSettingsRow>(e =>
        {
            e.ToTable("site_settings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        modelBuilder.Entity<BankHoliday>(e =>
        {
            e.ToTable("bank_holidays");
            e.HasKey(x => x.Date);
        });
        modelBuilder.Entity<Picture>(e =>
        {
            e.ToTable("pictures");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(100);
        });
        modelBuilder.Entity<ContentRevision>(e =>
        {
            e.ToTable("content_revision");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
    }
}
