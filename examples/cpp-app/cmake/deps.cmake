# The git tag: information only (the payload files, not the build trigger).
ExternalProject_Add(xz_git GIT_REPOSITORY https://github.com/tukaani-project/xz.git GIT_TAG v5.6.1)
