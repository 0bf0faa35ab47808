{ lib, stdenv, fetchurl
, enableStatic ? stdenv.hostPlatform.isStatic
, writeScript
}:

# Note: this package is used for bootstrapping fetchurl, and thus
# cannot use fetchpatch! (a "quote" and a ${not} interpolation in a comment)

stdenv.mkDerivation (finalAttrs: {
  pname = "xz";
  version = "5.6.1";

  src = fetchurl {
    url = "https://github.com/tukaani-project/xz/releases/download/v${finalAttrs.version}/xz-${finalAttrs.version}.tar.bz2";
    sha256 = "1j0pq9k334r8h55hdmv74vryvklhr1cya2v3448ln4m094k4406k";
  };

  /* A block comment with "quotes" and ''indented'' text. */
  preCheck = ''
    # Tests have a /bin/sh dependency...
    patchShebangs tests ''${HOME} '''quoted'''
  '';

  passthru.updateScript = writeScript "update-xz" ''
    new_version="$(curl -s https://tukaani.org/xz/ | head -n1)"
    update-source-version ${finalAttrs.pname} "$new_version"
  '';

  meta = with lib; {
    homepage = "https://tukaani.org/xz/";
    license = with licenses; [ gpl2Plus lgpl21Plus ];
  };
})
