using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Identity;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Data.PhotoCenter;
using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Data.Consents;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Migrations;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Products;
using PhotoReceipt.Data.Receipts;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.Data.Users;
using PhotoReceipt.Data.WeChat;

namespace PhotoReceipt.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>PostgreSQL, the stores, the job queue, the blob store, the catalog and the PII protector.</summary>
    public static IServiceCollection AddPhotoReceiptData(this IServiceCollection services)
    {

        services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Postgres");
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("ConnectionStrings:Postgres is not set (environment ConnectionStrings__Postgres).");
            var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "photoreceipt" };
            ConnectionTuning.Apply(builder.ConnectionStringBuilder);
            return builder.Build();
        });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IConfiguration>()["Catalog:Path"];
            return string.IsNullOrWhiteSpace(path) ? ProductCatalog.LoadEmbedded() : ProductCatalog.LoadFile(path);
        });
        services.AddOptions<PiiOptions>().BindConfiguration(PiiOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PiiOptions>>(new ConstructorValidation<PiiOptions>(o => _ = new PiiProtector(o)));
        // Read by the worker (which center) and the API (callback, review claims); checked at start in both.
        services.AddOptions<PhotoCenterOptions>().BindConfiguration(PhotoCenterOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PhotoCenterOptions>, PhotoCenterOptionsValidator>();
        services.AddSingleton(sp => new PiiProtector(sp.GetRequiredService<IOptions<PiiOptions>>().Value));
        services.AddOptions<JobQueueOptions>().BindConfiguration(JobQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<JobQueueOptions>>().Value);
        services.AddOptions<BlobOptions>().BindConfiguration(BlobOptions.Section)
            .Validate(o => o.Store is BlobOptions.LocalStore or BlobOptions.S3Store, "Blobs:Store must be Local or S3.")
            .Validate(o => o.Store != BlobOptions.S3Store || !string.IsNullOrWhiteSpace(o.S3.Bucket), "Blobs:S3:Bucket is required when Blobs:Store is S3.")
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IBlobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BlobOptions>>().Value;
            if (options.Store == BlobOptions.S3Store)
                return new S3BlobStore(options.S3, sp.GetRequiredService<ILogger<S3BlobStore>>());
            var contentRoot = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
            return new LocalBlobStore(Path.IsPathRooted(options.Root) ? options.Root : Path.Combine(contentRoot, options.Root));
        });

        services.AddSingleton<BlobJanitor>();
        services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FilesOptions>>(sp =>
            new ConstructorValidation<FilesOptions>(o => _ = new FileUrls(Options.Create(o), sp.GetRequiredService<IBlobStore>(), TimeProvider.System)));
        services.AddSingleton<FileUrls>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<ProductSync>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<PhotoStore>();
        services.AddSingleton<PrintSheetStore>();
        services.AddSingleton<PhotoDerivations>();
        services.AddSingleton<GuardianConsentStore>();
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<OrderPayments>();
        services.AddSingleton<OrderLifecycle>();
        services.AddSingleton<NoticeStore>();
        services.AddSingleton<ReviewStore>();
        services.AddSingleton<StaffStore>();
        services.AddSingleton<StaffSessionStore>();
        services.AddSingleton<SupportStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ReceiptStore>();
        services.AddSingleton<ReceiptRetention>();
        services.AddWeChatStores();
        return services;
    }
}
