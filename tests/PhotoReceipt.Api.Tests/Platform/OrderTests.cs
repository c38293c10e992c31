using System.Net;
using System.Text;
using Dapper;
using Npgsql;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Platform;

public sealed class OrderTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_paid_product_order_awaits_payment_with_masked_personal_data_and_pay_parameters()
    {
        var client = await app.LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var id = TestIds.Valid();
        var response = await client.PostOrderAsync(ApiClient.OrderBody(photo, idNumber: id, name: "欧阳娜娜"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var order = await response.JsonAsync();
        Assert.Equal("awaiting_payment", order.GetProperty("status").GetString());
        Assert.Equal("待支付", order.GetProperty("statusLabel").GetString());
        Assert.Equal(990, order.GetProperty("priceFen").GetInt32());
        Assert.Matches(@"^R\d{16}$", order.GetProperty("orderNo").GetString());
        var applicant = order.GetProperty("applicant");
        Assert.Equal("欧***", applicant.GetProperty("name").GetString());
        Assert.Equal("**************" + id[^4..], applicant.GetProperty("idNumber").GetString());
        Assert.Equal("138****5678", applicant.GetProperty("phone").GetString());
        Assert.DoesNotContain(id, text);
        Assert.DoesNotContain("欧阳娜娜", text);
        var payment = order.GetProperty("payment");
        Assert.Equal("prepay_id=sandbox_" + order.GetProperty("orderNo").GetString(), payment.GetProperty("package").GetString());
        Assert.True(payment.GetProperty("sandbox").GetBoolean());
        Assert.Equal($"/api/v1/orders/{order.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Personal_data_is_encrypted_at_rest_and_findable_only_through_the_keyed_hash()
    {
        var client = await app.LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var id = TestIds.Valid(birth: "19851231", seq: "457");
        var order = await (await client.PostOrderAsync(ApiClient.OrderBody(photo, idNumber: id, name: "李四"))).JsonAsync();

        await using var db = NpgsqlDataSource.Create(app.ConnectionString);
        await using var conn = await db.OpenConnectionAsync();
        var row = await conn.QuerySingleAsync<(byte[] IdEnc, byte[] NameEnc, byte[] IdHash, string KeyId)>(
            "SELECT applicant_id_enc, applicant_name_enc, applicant_id_hash, pii_key_id FROM orders WHERE id = @id",
            new { id = order.GetProperty("id").GetGuid() });
        Assert.Equal("k1", row.KeyId);
        Assert.DoesNotContain(id, Encoding.UTF8.GetString(row.IdEnc));
        Assert.DoesNotContain("李四", Encoding.UTF8.GetString(row.NameEnc));
        var pii = (PhotoReceipt.Core.Identity.PiiProtector)app.Services.GetService(typeof(PhotoReceipt.Core.Identity.PiiProtector))!;
        Assert.Equal(id, pii.Decrypt(row.IdEnc));
        Assert.Equal("李四", pii.Decrypt(row.NameEnc));
        Assert.Equal(row.IdHash, pii.LookupHash("id", id));
        // Nothing of the ID number is stored in clear anywhere in the row.
        var dump = await conn.ExecuteScalarAsync<string>("SELECT row_to_json(o)::text FROM orders o WHERE id = @id", new { id = order.GetProperty("id").GetGuid() });
        Assert.DoesNotContain(id, dump);
        Assert.DoesNotContain(id[..14], dump);
    }

    [Fact]
    public async Task A_free_product_skips_payment_and_is_queued()
    {
        var client = await app.LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app, "photo-1in");
        var order = await (await client.PostOrderAsync(ApiClient.OrderBody(photo, "photo-1in"))).JsonAsync();
        Assert.Equal("queued", order.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, order.GetProperty("payment").ValueKind);
        var detail = await (await client.GetAsync($"/api/v1/orders/{order.GetProperty("id").GetGuid()}")).JsonAsync();
        var timeline = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToList();
        Assert.Equal(["created", "queued"], timeline);
    }

    [Theory]
    [InlineData("applicant.idNumber", "name", "张三", "idNumber", "44030519900307123X", "身份证号码校验位不正确")]
    [InlineData("applicant.idNumber", "name", "张三", "idNumber", "440305199002301234", "出生日期")]
    [InlineData("applicant.idNumber", "name", "张三", "idNumber", "4403051990", "18位")]
    [InlineData("applicant.phone", "phone", "12345678901", "idNumber", null, "手机号")]
    [InlineData("applicant.name", "name", "", "idNumber", null, "姓名")]
    [InlineData("applicant.name", "name", "Robert'); DROP TABLE orders;--", "idNumber", null, "姓名")]
    public async Task Invalid_applicant_details_are_400_with_chinese_messages_keyed_by_json_name(
        string errorKey, string field1, string value1, string field2, string? value2, string expected)
    {
        var client = await app.LoginAsync();
        var applicant = new Dictionary<string, string?> { ["name"] = "张三", ["idNumber"] = TestIds.Valid(), ["phone"] = "13812345678" };
        applicant[field1] = value1;
        if (value2 is not null) applicant[field2] = value2;
        var body = new { productId = "residence-permit-shenzhen", photoId = Guid.NewGuid(), applicant, consentVersion = "2026-11" };
        var problem = await (await client.PostOrderAsync(body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var messages = problem.GetProperty("errors").GetProperty(errorKey).EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_fields_consent_and_idempotency_key_are_refused()
    {
        var client = await app.LoginAsync();
        var problem = await (await client.PostOrderAsync(new { productId = "nope" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var keys = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("productId", keys);
        Assert.Contains("photoId", keys);
        Assert.Contains("applicant", keys);
        Assert.Contains("consentVersion", keys);

        var photo = await client.ProcessedPhotoAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = System.Net.Http.Json.JsonContent.Create(ApiClient.OrderBody(photo)) };
        await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/orders", new StringContent("{\"productId\": 5", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/orders", new StringContent("{\"photoId\": \"not-a-guid\"}", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Same_key_same_body_is_the_same_order_and_same_key_other_body_is_422()
    {
        var client = await app.LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var body = ApiClient.OrderBody(photo);
        var first = await (await client.PostOrderAsync(body, "key-1")).JsonAsync();
        var again = await client.PostOrderAsync(body, "key-1");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.GetProperty("id").GetGuid(), (await again.JsonAsync()).GetProperty("id").GetGuid());
        await (await client.PostOrderAsync(ApiClient.OrderBody(photo, phone: "13900000000"), "key-1")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var list = await (await client.GetAsync("/api/v1/orders")).JsonAsync();
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_photo_must_be_the_callers_processed_usable_and_of_the_products_spec()
    {
        var owner = await app.LoginAsync();
        var stranger = await app.LoginAsync();
        var photo = await owner.ProcessedPhotoAsync(app);
        await (await stranger.PostOrderAsync(ApiClient.OrderBody(photo))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.PostOrderAsync(ApiClient.OrderBody(photo, "exit-entry-guangdong"))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var pending = (await (await owner.UploadAsync(await File.ReadAllBytesAsync(PhotoReceipt.Testing.RepoPaths.Portrait("test3.jpg")))).JsonAsync()).GetProperty("id").GetGuid();
        await (await owner.PostOrderAsync(ApiClient.OrderBody(pending))).AssertProblemAsync(HttpStatusCode.Conflict);

        app.Pipeline.Next = ScriptedPhotoPipeline.Unusable;
        Guid bad;
        try
        {
            bad = await owner.ProcessedPhotoAsync(app);
        }
        finally
        {
            app.Pipeline.Next = ScriptedPhotoPipeline.Usable;
        }
        await (await owner.PostOrderAsync(ApiClient.OrderBody(bad))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Orders_list_newest_first_with_a_cursor_and_a_status_filter()
    {
        var client = await app.LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var ids = new List<Guid>();
        for (var i = 0; i < 25; i++)
            ids.Add((await (await client.PostOrderAsync(ApiClient.OrderBody(photo))).JsonAsync()).GetProperty("id").GetGuid());
        await client.PostAsync($"/api/v1/orders/{ids[3]}/cancel", null);

        var page1 = await (await client.GetAsync("/api/v1/orders")).JsonAsync();
        var first = page1.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(20, first.Count);
        var cursor = page1.GetProperty("nextCursor").GetString();
        var page2Response = await client.GetAsync($"/api/v1/orders?cursor={cursor}");
        Assert.True(page2Response.IsSuccessStatusCode, await page2Response.Content.ReadAsStringAsync());
        var page2 = await page2Response.JsonAsync();
        var second = page2.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(5, second.Count);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
        Assert.Equal(Enumerable.Reverse(ids), first.Concat(second));

        var cancelled = await (await client.GetAsync("/api/v1/orders?status=cancelled")).JsonAsync();
        Assert.Equal([ids[3]], cancelled.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));

        // A status filter and a cursor together, page by page: every unpaid order once, newest first.
        var unpaid = new List<Guid>();
        string? next = null;
        var pages = 0;
        do
        {
            var url = "/api/v1/orders?status=awaiting_payment&limit=10" + (next is null ? "" : $"&cursor={next}");
            var page = await (await client.GetAsync(url)).JsonAsync();
            unpaid.AddRange(page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
            next = page.GetProperty("nextCursor").GetString();
            pages++;
        } while (next is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids).Where(id => id != ids[3]), unpaid);
        await (await client.GetAsync("/api/v1/orders?status=bogus")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/v1/orders?cursor=%%%")).AssertProblemAsync(HttpStatusCode.BadRequest);

        var stranger = await app.LoginAsync();
        Assert.Empty((await (await stranger.GetAsync("/api/v1/orders")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Cancel_works_before_submission_once_and_only_for_the_owner()
    {
        var client = await app.LoginAsync();
        var stranger = await app.LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var id = (await (await client.PostOrderAsync(ApiClient.OrderBody(photo))).JsonAsync()).GetProperty("id").GetGuid();

        await (await stranger.PostAsync($"/api/v1/orders/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/v1/orders/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        var cancelled = await (await client.PostAsync($"/api/v1/orders/{id}/cancel", null)).JsonAsync();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.False(cancelled.GetProperty("cancellable").GetBoolean());
        Assert.Equal(["created", "awaiting_payment", "cancelled"],
            cancelled.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        await (await client.PostAsync($"/api/v1/orders/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync($"/api/v1/orders/{id}/payment", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task In_sandbox_mode_the_payment_simulator_marks_an_order_paid_once()
    {
        var client = await app.LoginAsync();
        var stranger = await app.LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var id = (await (await client.PostOrderAsync(ApiClient.OrderBody(photo))).JsonAsync()).GetProperty("id").GetGuid();
        await (await stranger.PostAsync($"/api/v1/orders/{id}/sandbox-pay", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        var paid = await (await client.PostAsync($"/api/v1/orders/{id}/sandbox-pay", null)).JsonAsync();
        Assert.Equal("queued", paid.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, paid.GetProperty("paidAt").ValueKind);
        await (await client.PostAsync($"/api/v1/orders/{id}/sandbox-pay", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Subscription_grants_are_counted_per_configured_template_bounded_and_unknown_templates_refused()
    {
        const string approved = "photoreceipt-approved", rejected = "photoreceipt-rejected"; // the configured (default) templates
        var client = await app.LoginAsync();
        Task<HttpResponseMessage> Post(params string[] ids) =>
            client.PostAsync("/api/v1/subscriptions", System.Net.Http.Json.JsonContent.Create(new { templateIds = ids }));
        await Post(approved, rejected);
        var grants = await (await Post(approved)).JsonAsync();
        Assert.Equal(2, grants.GetProperty("remaining").GetProperty(approved).GetInt32());
        Assert.Equal(1, grants.GetProperty("remaining").GetProperty(rejected).GetInt32());
        await (await Post()).AssertProblemAsync(HttpStatusCode.BadRequest);

        // A template we never send is refused, and nothing of the request is stored.
        var foreign = await (await Post(approved, "tplSomeoneElses")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("tplSomeoneElses", foreign.GetProperty("errors").GetProperty("templateIds")[0].GetString(), StringComparison.Ordinal);
        // Banked grants stop at the cap however often a script posts.
        for (var i = 0; i < 30; i++) await Post(rejected);
        grants = await (await Post(approved)).JsonAsync();
        Assert.Equal(3, grants.GetProperty("remaining").GetProperty(approved).GetInt32());
        Assert.Equal(PhotoReceipt.Api.Subscriptions.SubscriptionsApi.MaxGrantsPerTemplate, grants.GetProperty("remaining").GetProperty(rejected).GetInt32());
        Assert.False(grants.GetProperty("remaining").TryGetProperty("tplSomeoneElses", out _));
    }
}
