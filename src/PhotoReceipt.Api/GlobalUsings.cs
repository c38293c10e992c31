// The expected answers of the API, one name per status (Platform/ApiProblems.cs).
global using BadRequestProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status400>;
global using UnauthorizedProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status401>;
global using ForbiddenProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status403>;
global using NotFoundProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status404>;
global using ConflictProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status409>;
global using GoneProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status410>;
global using TooLargeProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status413>;
global using UnsupportedMediaTypeProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status415>;
global using UnprocessableProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status422>;
global using TooManyRequestsProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status429>;
global using UnavailableProblem = PhotoReceipt.Api.Platform.Problem<PhotoReceipt.Api.Platform.Status503>;
