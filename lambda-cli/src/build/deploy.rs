//! The AWS CLI commands that deploy a built zip, with its architecture and runtime filled in.

use std::path::Path;

use super::target::Target;

/// What was zipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A function (`bootstrap` at the root).
    Function,
    /// An external extension, published as a layer.
    Extension,
}

/// The commands, one per line, ready to paste (placeholders in capitals: the role's ARN).
pub(crate) fn commands(kind: Kind, name: &str, target: Target, zip: &Path) -> String {
    let zip = shell_quote(&format!("fileb://{}", zip.display()));
    let name = shell_quote(name);
    let arch = target.arch.aws_name();
    // A static musl binary runs on both runtimes; a glibc one on the runtime it was checked for.
    let runtime = target.runtime.aws_name();
    match kind {
        Kind::Function => format!(
            "# create the function (once):\n\
             aws lambda create-function --function-name {name} --runtime {runtime} \
             --architectures {arch} --handler bootstrap --zip-file {zip} \
             --role arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME\n\
             # then, after each build:\n\
             aws lambda update-function-code --function-name {name} --architectures {arch} \
             --zip-file {zip}\n"
        ),
        Kind::Extension => {
            let runtimes = if target.static_musl {
                "provided.al2 provided.al2023".to_string()
            } else if runtime == "provided.al2" {
                // Built against glibc 2.26: runs on al2023's 2.34 too.
                "provided.al2 provided.al2023".to_string()
            } else {
                runtime.to_string()
            };
            format!(
                "# publish the extension as a layer:\n\
                 aws lambda publish-layer-version --layer-name {name} --zip-file {zip} \
                 --compatible-runtimes {runtimes} --compatible-architectures {arch}\n\
                 # then add the printed LayerVersionArn to a function:\n\
                 aws lambda update-function-configuration --function-name FUNCTION_NAME \
                 --layers LAYER_VERSION_ARN\n"
            )
        }
    }
}

/// Quotes `text` for a POSIX shell when it needs it.
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=+,@".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::target::Arch;
    use crate::cli::Runtime;

    #[test]
    fn function_commands_name_architecture_runtime_and_zip() {
        let target = Target {
            arch: Arch::Arm64,
            runtime: Runtime::Al2,
            static_musl: false,
        };
        let text = commands(
            Kind::Function,
            "hello",
            target,
            Path::new("target/lambda/arm64/hello/bootstrap.zip"),
        );
        assert!(
            text.contains(
                "aws lambda create-function --function-name hello --runtime provided.al2 \
             --architectures arm64 --handler bootstrap \
             --zip-file fileb://target/lambda/arm64/hello/bootstrap.zip"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "aws lambda update-function-code --function-name hello --architectures arm64 \
             --zip-file fileb://target/lambda/arm64/hello/bootstrap.zip"
            ),
            "{text}"
        );
    }

    #[test]
    fn extension_commands_publish_a_layer() {
        let target = Target {
            arch: Arch::X86_64,
            runtime: Runtime::Al2023,
            static_musl: false,
        };
        let text = commands(
            Kind::Extension,
            "logs",
            target,
            Path::new("/tmp/my dir/x.zip"),
        );
        assert!(
            text.contains(
                "aws lambda publish-layer-version --layer-name logs \
             --zip-file 'fileb:///tmp/my dir/x.zip' --compatible-runtimes provided.al2023 \
             --compatible-architectures x86_64"
            ),
            "{text}"
        );
        let al2 = commands(
            Kind::Extension,
            "logs",
            Target {
                runtime: Runtime::Al2,
                ..target
            },
            Path::new("x.zip"),
        );
        assert!(al2.contains("--compatible-runtimes provided.al2 provided.al2023"));
    }

    #[test]
    fn shell_quoting_is_only_added_when_needed() {
        assert_eq!(shell_quote("fileb://a/b.zip"), "fileb://a/b.zip");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
