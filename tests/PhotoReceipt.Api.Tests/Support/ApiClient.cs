using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PhotoReceipt.Core.Consents;
using PhotoReceipt.Core.Identity;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Support;

/// <summary>What the mini-program does, as test steps.</summary>
public static class ApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A logged-in user who has agreed to the face-photo rules, as the mini-program asks before the first upload.</summary>
    public static async Task<HttpClient> LoginAsync(this ApiFactory factory, string? code = null)
    {
        var client = await factory.LoginWithoutConsentAsync(code);
        await client.ConsentAsync(ConsentCatalog.FacePhoto);
        return client;
    }

    public static async Task<HttpClient> LoginWithoutConsentAsync(this ApiFactory factory, string? code = null)
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/session", new { code = code ?? Guid.NewGuid().ToString("N") });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return client;
    }

    /// <summary>Records the user's consent to the current version of one kind.</summary>
    public static async Task ConsentAsync(this HttpClient client, string kind)
    {
        var response = await client.PostAsJsonAsync("/api/v1/consents", new { kind, version = ConsentCatalog.Find(kind)!.Version });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static MultipartFormDataContent PhotoForm(byte[] bytes, string fileName = "photo.jpg", string field = "file", string contentType = "image/jpeg")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, field, fileName);
        return form;
    }

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] bytes, string productId = "residence-permit-shenzhen", string fileName = "photo.jpg") =>
        await client.PostAsync($"/api/v1/photos?productId={productId}", PhotoForm(bytes, fileName));

    /// <summary>Uploads a fixture portrait and runs the processing job; returns the photo id.</summary>
    public static async Task<Guid> ProcessedPhotoAsync(this HttpClient client, ApiFactory factory, string productId = "residence-permit-shenzhen")
    {
        var response = await client.UploadAsync(await File.ReadAllBytesAsync(RepoPaths.Portrait("test0.jpg")), productId);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await factory.RunJobsAsync();
        return id;
    }

    public static object OrderBody(Guid photoId, string productId = "residence-permit-shenzhen", string? idNumber = null, string name = "张三", string phone = "13812345678") => new
    {
        productId,
        photoId,
        applicant = new { name, idNumber = idNumber ?? TestIds.Valid(), phone },
        consentVersion = "2026-11",
    };

    public static async Task<HttpResponseMessage> PostOrderAsync(this HttpClient client, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}

/// <summary>Resident ID numbers with correct GB 11643 check characters.</summary>
public static class TestIds
{
    public static string Valid(string region = "440305", string birth = "19900307", string seq = "123")
    {
        var first17 = region + birth + seq;
        return first17 + ChineseIdNumber.CheckCharacter(first17);
    }
}
