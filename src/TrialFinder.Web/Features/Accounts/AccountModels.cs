using System.ComponentModel.DataAnnotations;

namespace TrialFinder.Web.Features.Accounts;

public sealed class RegisterForm
{
    [Required(ErrorMessage = "error.required"), EmailAddress(ErrorMessage = "error.email"), StringLength(254, ErrorMessage = "error.tooLong")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "error.required"), StringLength(200, MinimumLength = 12, ErrorMessage = "error.passwordLength")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "error.passwordMatch")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class SignInForm
{
    [Required(ErrorMessage = "error.required"), EmailAddress(ErrorMessage = "error.email"), StringLength(254, ErrorMessage = "error.tooLong")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "error.required"), StringLength(200, ErrorMessage = "error.tooLong")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public string? ReturnUrl { get; set; }
}

public sealed class ForgotPasswordForm
{
    [Required(ErrorMessage = "error.required"), EmailAddress(ErrorMessage = "error.email"), StringLength(254, ErrorMessage = "error.tooLong")]
    public string Email { get; set; } = "";
}

public sealed class ResetPasswordForm
{
    [Required(ErrorMessage = "error.required"), EmailAddress(ErrorMessage = "error.email")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "error.required")]
    public string Token { get; set; } = "";

    [Required(ErrorMessage = "error.required"), StringLength(200, MinimumLength = 12, ErrorMessage = "error.passwordLength")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "error.passwordMatch")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";
}
