# Upstream project has requested we use a mirror as the main URL
# https://github.com/Homebrew/legacy-homebrew/pull/21419
class Xz < Formula
  desc "General-purpose data compression with high compression ratio"
  homepage "https://xz.tukaani.org/xz-utils/"
  # The archive.org mirror below needs to be manually created at `archive.org`.
  url "https://github.com/tukaani-project/xz/releases/download/v5.6.0/xz-5.6.0.tar.gz"
  mirror "https://downloads.sourceforge.net/project/lzmautils/xz-5.6.0.tar.gz"
  mirror "http://archive.org/download/xz-5.6.0/xz-5.6.0.tar.gz"
  sha256 "0f5c81f14171b74fcc9777d302304d964e63ffc2d7b634ef023a7249d9b5d875"
  license all_of: [
    :public_domain,
    "LGPL-2.1-or-later",
  ]

  livecheck do
    url :stable
    regex(/href=.*?xz[._-]v?(\d+(?:\.\d+)+)\.t/i)
  end

  bottle do
    sha256 cellar: :any,                 arm64_sonoma:   "6dd426cf064ecc9ef5b832c81a307816efa1a8572964f126da173a5473c387ac"
    sha256 cellar: :any,                 arm64_ventura:  "5a9febbc79a323d44320d1a73625a1a08ac9569ebe8d66a02221a2b40f4f1dc4"
    sha256 cellar: :any_skip_relocation, x86_64_linux:   "5828e7adadf0ed4d0cc68c487b6f132355e3e81561500c64fb62a0eb68b5cba3"
  end

  def install
    system "./configure", *std_configure_args, "--disable-silent-rules"
    system "make", "install"
  end

  test do
    path = testpath/"data.txt"
    original_contents = "." * 1000
    (testpath/"x").write <<~EOS
      url "https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz"
    EOS
    system bin/"xz", "-d", "#{path}.xz"
  end
end
