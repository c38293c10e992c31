using PhotoReceipt.Api.Consents;
using PhotoReceipt.Api.Console;
using PhotoReceipt.Api.Files;
using PhotoReceipt.Api.MiniProgram;
using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Api.Orders;
using PhotoReceipt.Api.PhotoCenter;
using PhotoReceipt.Api.Photos;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Api.Products;
using PhotoReceipt.Api.Receipts;
using PhotoReceipt.Api.Sessions;
using PhotoReceipt.Api.Subscriptions;
using PhotoReceipt.Api.WeChat;
using PhotoReceipt.Data;
using PhotoReceipt.ServiceDefaults;
using PhotoReceipt.WeChat;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("photoreceipt-api");
builder.Services.AddPhotoReceiptData();
builder.Services.AddPhotoReceiptApi();
builder.Services.AddStaffConsole();
// The real WeChat client, or the sandbox when no AppId is configured. Jobs (and the imaging code) run in the worker process.
builder.Services.AddWeChat(builder.Configuration);

var app = builder.Build();

app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiniProgramH5();
app.UseRouting();
app.UseBodyLimits();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealth();
app.MapOpenApi("/openapi/{documentName}.json");
// The API reference for people, in Development only: production publishes the OpenAPI document alone.
if (app.Environment.IsDevelopment())
    app.MapScalarApiReference("/scalar", o => o.WithOpenApiRoutePattern("/openapi/{documentName}.json").WithTitle("PhotoReceipt API"));
app.MapFiles();
app.MapWeChatCallbacks();
app.MapPhotoCenterCallback();
app.MapConsole();

// JSON bodies of the mini-program API are small; the photo upload declares its own limit.
var api = app.MapGroup("/api/v1").RequireAuthorization().WithBodyLimit(64 * 1024).DescribePipelineProblems();
api.MapSessions();
api.MapProducts();
api.MapPhotos();
api.MapPhotoDerivation();
api.MapConsents();
api.MapOrders();
api.MapReceipts();
api.MapSubscriptions();
api.MapSubscriptionTemplates();

app.Run();

public partial class Program;
