# cargo-deny (sourced by scripts/setup.sh), for scripts/test.d/10-deny.sh: licences, bans and
# sources of every dependency against deny.toml, and advisories when a copy of the advisory
# database is on the machine. From crates.io; about 15 minutes of compile on 2 cores, once.
cargo_install cargo-deny 0.20.2 --locked
