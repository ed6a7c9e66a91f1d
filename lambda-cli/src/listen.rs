//! Where the local servers listen: loopback by default, and `localhost` as both `127.0.0.1` and
//! `::1` (clients such as `cargo lambda invoke` try `::1` first).

use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The addresses `host` stands for: `localhost` is both loopbacks, anything else one IP.
pub(crate) fn addresses(host: &str) -> Result<Vec<IpAddr>, BadHost> {
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]);
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .map(|ip| vec![ip])
        .map_err(|_| BadHost(host.to_owned()))
}

/// A `--host` that is neither `localhost` nor an IP address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadHost(pub(crate) String);

impl fmt::Display for BadHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an IP address or `localhost`: use 127.0.0.1, ::1 or localhost (both)",
            self.0
        )
    }
}

impl std::error::Error for BadHost {}

/// Starts one server per address of `ips`, all on the same port: `port`, or (for 0) the one
/// the first bind picked. A second address that cannot be bound (a machine without IPv6) is
/// skipped with a warning when the first one is bound; the first failure is an error.
pub(crate) async fn bind_all<T, F, Fut>(ips: &[IpAddr], port: u16, start: F) -> io::Result<Vec<T>>
where
    F: Fn(SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<(T, SocketAddr)>>,
{
    let mut servers = Vec::new();
    let mut port = port;
    for (i, ip) in ips.iter().enumerate() {
        let address = SocketAddr::new(*ip, port);
        match start(address).await {
            Ok((server, bound)) => {
                port = bound.port();
                servers.push(server);
            }
            Err(error) if i == 0 => {
                return Err(io::Error::new(
                    error.kind(),
                    format!("cannot listen on {address}: {error}"),
                ))
            }
            Err(error) => eprintln!("lambda-rs: not listening on {address} as well: {error}"),
        }
    }
    Ok(servers)
}

/// The addresses `host:port` names, for a client: `localhost` gives `::1` then `127.0.0.1`.
pub(crate) fn client_addresses(address: &str) -> Result<Vec<SocketAddr>, BadHost> {
    let bad = || BadHost(address.to_owned());
    let (host, port) = address.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    let mut ips = addresses(host).map_err(|_| bad())?;
    ips.reverse();
    Ok(ips
        .into_iter()
        .map(|ip| SocketAddr::new(ip, port))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_means_both_loopbacks() {
        let ips = addresses("localhost").unwrap();
        assert_eq!(
            ips,
            [
                "127.0.0.1".parse::<IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        assert_eq!(
            addresses("::1").unwrap(),
            ["::1".parse::<IpAddr>().unwrap()]
        );
        assert_eq!(
            addresses("[::1]").unwrap(),
            ["::1".parse::<IpAddr>().unwrap()]
        );
        let error = addresses("example.com").unwrap_err();
        assert!(error.to_string().contains("localhost (both)"), "{error}");
    }

    #[test]
    fn client_addresses_try_ipv6_first_for_localhost() {
        assert_eq!(
            client_addresses("localhost:9000").unwrap(),
            [
                "[::1]:9000".parse::<SocketAddr>().unwrap(),
                "127.0.0.1:9000".parse().unwrap()
            ]
        );
        assert_eq!(
            client_addresses("[::1]:80").unwrap(),
            ["[::1]:80".parse::<SocketAddr>().unwrap()]
        );
        assert!(client_addresses("localhost").is_err());
        assert!(client_addresses("localhost:http").is_err());
    }

    #[tokio::test]
    async fn localhost_servers_share_one_port_on_both_loopbacks() {
        let ips = addresses("localhost").unwrap();
        let listeners = bind_all(&ips, 0, |address| async move {
            let listener = tokio::net::TcpListener::bind(address).await?;
            let bound = listener.local_addr()?;
            Ok((listener, bound))
        })
        .await
        .unwrap();
        let bound: Vec<SocketAddr> = listeners.iter().map(|l| l.local_addr().unwrap()).collect();
        assert!(bound[0].ip().is_loopback());
        if let Some(second) = bound.get(1) {
            assert!(second.is_ipv6());
            assert_eq!(second.port(), bound[0].port());
        }
    }
}
