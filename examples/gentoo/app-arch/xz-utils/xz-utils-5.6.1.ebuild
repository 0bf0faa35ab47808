# Hand-written fixture in the shape of Gentoo's xz-utils ebuilds
EAPI=8

if [[ ${PV} == 9999 ]] ; then
	EGIT_REPO_URI="https://github.com/tukaani-project/xz"
else
	MY_P="${PN/-utils}-${PV/_}"
	SRC_URI="
		https://github.com/tukaani-project/xz/releases/download/v${PV/_}/${MY_P}.tar.gz
		mirror://sourceforge/lzmautils/${MY_P}.tar.gz
		verify-sig? ( https://tukaani.org/xz/${MY_P}.tar.gz.sig )
	"
fi

SLOT="0"
RDEPEND=">=app-arch/xz-utils-5.6.0 !<app-arch/lzma-4.63"

src_install() {
	default
}
