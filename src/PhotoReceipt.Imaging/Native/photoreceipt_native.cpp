// PhotoReceipt native helpers: dlib face detection + 68 landmarks, OpenCV GrabCut matting,
// guided-filter alpha, decontaminated compositing and affine warps.
//
// Flat C ABI only. Every entry point catches all C++ exceptions and reports them as a non-zero
// return code plus a message written into the caller's buffer: an exception must never cross
// into .NET (that would terminate the process). Pixel buffers are owned by the caller (C#);
// this library never keeps a pointer to them after returning.

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#define PR_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

enum : int { PR_OK = 0, PR_ERR_ARG = 1, PR_ERR_ALLOC = 2, PR_ERR_EXCEPTION = 3 };

void set_error(char* err, int err_len, const char* what) {
    if (err == nullptr || err_len <= 0) return;
    std::strncpy(err, what, static_cast<size_t>(err_len) - 1);
    err[err_len - 1] = '\0';
}

// Runs f and turns any C++ exception into an error code + message.
template <typename F>
int guarded(char* err, int err_len, F&& f) {
    try {
        return f();
    } catch (const std::bad_alloc&) {
        set_error(err, err_len, "out of memory");
        return PR_ERR_ALLOC;
    } catch (const std::exception& e) {
        set_error(err, err_len, e.what());
        return PR_ERR_EXCEPTION;
    } catch (...) {
        set_error(err, err_len, "unknown C++ exception");
        return PR_ERR_EXCEPTION;
    }
}

bool valid_image(const uint8_t* px, int w, int h, int stride, int channels) {
    return px != nullptr && w > 0 && h > 0 && channels > 0 && stride >= w * channels;
}

}  // namespace

struct pr_landmark_model {
    dlib::shape_predictor predictor;
};

struct pr_detector {
    dlib::frontal_face_detector detector;
};

// One detected face in the coordinates of the image given to pr_detect.
struct pr_face {
    float left, top, right, bottom;
    double score;
    float landmarks[136];  // x0, y0, x1, y1, … for the 68 points; zero when no model was given
};

PR_EXPORT int pr_model_load(const char* path, pr_landmark_model** out, char* err, int err_len) {
    if (path == nullptr || out == nullptr) { set_error(err, err_len, "null argument"); return PR_ERR_ARG; }
    *out = nullptr;
    return guarded(err, err_len, [&] {
        auto* model = new pr_landmark_model();
        try {
            dlib::deserialize(path) >> model->predictor;
        } catch (...) {
            delete model;
            throw;
        }
        if (model->predictor.num_parts() != 68) {
            std::string msg = "landmark model has " + std::to_string(model->predictor.num_parts()) + " points; 68 are needed";
            delete model;
            set_error(err, err_len, msg.c_str());
            return PR_ERR_ARG;
        }
        *out = model;
        return PR_OK;
    });
}

// OpenCV's own thread pool competes with our bounded parallelism on small machines.
PR_EXPORT void pr_set_threads(int threads) { cv::setNumThreads(threads); }

PR_EXPORT void pr_model_free(pr_landmark_model* model) { delete model; }

PR_EXPORT int pr_detector_new(pr_detector** out, char* err, int err_len) {
    if (out == nullptr) { set_error(err, err_len, "null argument"); return PR_ERR_ARG; }
    *out = nullptr;
    return guarded(err, err_len, [&] {
        auto* d = new pr_detector();
        d->detector = dlib::get_frontal_face_detector();
        *out = d;
        return PR_OK;
    });
}

PR_EXPORT void pr_detector_free(pr_detector* detector) { delete detector; }

// Detects faces in packed RGB; writes up to max_faces (best score first) and the total count seen.
// scan_scale < 1 runs the HOG scan on a smaller copy (its cost falls with the square) while the
// landmarks are still fitted on the full-resolution image.
PR_EXPORT int pr_detect(pr_detector* detector, const pr_landmark_model* model, const uint8_t* rgb, int w, int h,
                        int stride, int upsample, double scan_scale, double threshold, pr_face* faces, int max_faces,
                        int* found, char* err, int err_len) {
    if (detector == nullptr || !valid_image(rgb, w, h, stride, 3) || found == nullptr || (faces == nullptr && max_faces > 0) ||
        !(scan_scale > 0.0 && scan_scale <= 1.0) || (scan_scale < 1.0 && upsample > 0)) {
        set_error(err, err_len, "invalid argument");
        return PR_ERR_ARG;
    }
    *found = 0;
    return guarded(err, err_len, [&] {
        dlib::array2d<dlib::rgb_pixel> img(h, w);
        for (int y = 0; y < h; ++y) {
            const uint8_t* row = rgb + static_cast<size_t>(y) * stride;
            for (int x = 0; x < w; ++x) img[y][x] = dlib::rgb_pixel(row[3 * x], row[3 * x + 1], row[3 * x + 2]);
        }
        for (int i = 0; i < upsample; ++i) dlib::pyramid_up(img);
        const double factor = std::pow(2.0, upsample);

        std::vector<dlib::rect_detection> dets;
        if (scan_scale < 1.0) {
            dlib::array2d<dlib::rgb_pixel> small(std::max(1L, std::lround(h * scan_scale)), std::max(1L, std::lround(w * scan_scale)));
            dlib::resize_image(img, small);
            detector->detector(small, dets, threshold);
            for (auto& d : dets) d.rect = dlib::scale_rect(d.rect, 1.0 / scan_scale);
        } else {
            detector->detector(img, dets, threshold);
        }
        std::sort(dets.begin(), dets.end(), [](const auto& a, const auto& b) { return a.detection_confidence > b.detection_confidence; });
        *found = static_cast<int>(dets.size());
        const int n = std::min<int>(max_faces, static_cast<int>(dets.size()));
        for (int i = 0; i < n; ++i) {
            const auto& r = dets[i].rect;
            pr_face& f = faces[i];
            f.left = static_cast<float>(r.left() / factor);
            f.top = static_cast<float>(r.top() / factor);
            f.right = static_cast<float>((r.right() + 1) / factor);
            f.bottom = static_cast<float>((r.bottom() + 1) / factor);
            f.score = dets[i].detection_confidence;
            std::memset(f.landmarks, 0, sizeof f.landmarks);
            if (model != nullptr) {
                const dlib::full_object_detection shape = model->predictor(img, r);
                for (unsigned long k = 0; k < shape.num_parts() && k < 68; ++k) {
                    f.landmarks[2 * k] = static_cast<float>(shape.part(k).x() / factor);
                    f.landmarks[2 * k + 1] = static_cast<float>(shape.part(k).y() / factor);
                }
            }
        }
        return PR_OK;
    });
}

// GrabCut on packed RGB seeded with a trimap: 0 = background, 1 = foreground, 2 = probably
// background, 3 = probably foreground (OpenCV's GC_* values). Writes a 0/255 mask.
PR_EXPORT int pr_grabcut(const uint8_t* rgb, int w, int h, int stride, const uint8_t* trimap, int iterations,
                         uint8_t* mask_out, char* err, int err_len) {
    if (!valid_image(rgb, w, h, stride, 3) || trimap == nullptr || mask_out == nullptr || iterations <= 0) {
        set_error(err, err_len, "invalid argument");
        return PR_ERR_ARG;
    }
    return guarded(err, err_len, [&] {
        cv::Mat src(h, w, CV_8UC3, const_cast<uint8_t*>(rgb), static_cast<size_t>(stride));
        cv::Mat mask(h, w, CV_8UC1);
        std::memcpy(mask.data, trimap, static_cast<size_t>(w) * h);
        const bool has_fg = cv::countNonZero(mask == cv::GC_FGD) + cv::countNonZero(mask == cv::GC_PR_FGD) > 0;
        const bool has_bg = cv::countNonZero(mask == cv::GC_BGD) + cv::countNonZero(mask == cv::GC_PR_BGD) > 0;
        if (!has_fg || !has_bg) {
            set_error(err, err_len, "trimap needs both foreground and background seeds");
            return PR_ERR_ARG;
        }
        cv::Mat bgd, fgd;
        // GrabCut seeds its k-means from OpenCV's per-thread RNG; without a fixed state the same
        // photo would get a different matte depending on which thread and how many photos before.
        cv::theRNG().state = 0x5eed5eedULL;
        cv::grabCut(src, mask, cv::Rect(), bgd, fgd, iterations, cv::GC_INIT_WITH_MASK);
        cv::Mat out(h, w, CV_8UC1, mask_out);
        out = cv::Scalar::all(0);
        out.setTo(cv::Scalar::all(255), (mask == cv::GC_FGD) | (mask == cv::GC_PR_FGD));
        return PR_OK;
    });
}

// Affine warp of a packed 1- or 3-channel image; m is the 2×3 forward matrix (src → dst).
// Pixels mapped from outside the source repeat the nearest edge.
PR_EXPORT int pr_warp_affine(const uint8_t* src, int sw, int sh, int sstride, int channels, const double* m,
                             uint8_t* dst, int dw, int dh, int dstride, char* err, int err_len) {
    if (!valid_image(src, sw, sh, sstride, channels) || !valid_image(dst, dw, dh, dstride, channels) || m == nullptr ||
        (channels != 1 && channels != 3)) {
        set_error(err, err_len, "invalid argument");
        return PR_ERR_ARG;
    }
    return guarded(err, err_len, [&] {
        const int type = channels == 1 ? CV_8UC1 : CV_8UC3;
        cv::Mat s(sh, sw, type, const_cast<uint8_t*>(src), static_cast<size_t>(sstride));
        cv::Mat d(dh, dw, type, dst, static_cast<size_t>(dstride));
        cv::Mat mat(2, 3, CV_64F, const_cast<double*>(m));
        cv::warpAffine(s, d, mat, cv::Size(dw, dh), cv::INTER_CUBIC, cv::BORDER_REPLICATE);
        return PR_OK;
    });
}

namespace {

// He et al.'s guided filter with a grey guide: edges of the coarse mask snap to image edges.
cv::Mat guided_filter(const cv::Mat& guide, const cv::Mat& p, int r, double eps) {
    const cv::Size k(2 * r + 1, 2 * r + 1);
    cv::Mat mean_i, mean_p, corr_i, corr_ip;
    cv::boxFilter(guide, mean_i, CV_32F, k);
    cv::boxFilter(p, mean_p, CV_32F, k);
    cv::boxFilter(guide.mul(guide), corr_i, CV_32F, k);
    cv::boxFilter(guide.mul(p), corr_ip, CV_32F, k);
    cv::Mat var_i = corr_i - mean_i.mul(mean_i);
    cv::Mat cov_ip = corr_ip - mean_i.mul(mean_p);
    cv::Mat a = cov_ip / (var_i + eps);
    cv::Mat b = mean_p - a.mul(mean_i);
    cv::Mat mean_a, mean_b;
    cv::boxFilter(a, mean_a, CV_32F, k);
    cv::boxFilter(b, mean_b, CV_32F, k);
    return mean_a.mul(guide) + mean_b;
}

}  // namespace

// Refines a coarse 0/255 mask into alpha with a guided filter, then replaces the background of
// rgb (in place) with the given colour. The foreground colour at soft edges is decontaminated:
// the old background, estimated locally from pixels outside the mask, is removed before blending,
// so no halo of the old wall colour survives. alpha_out receives the final alpha (0–255).
PR_EXPORT int pr_matte_composite(uint8_t* rgb, int w, int h, int stride, const uint8_t* coarse_mask, int radius,
                                 double eps, uint8_t bg_r, uint8_t bg_g, uint8_t bg_b, uint8_t* alpha_out,
                                 char* err, int err_len) {
    if (!valid_image(rgb, w, h, stride, 3) || coarse_mask == nullptr || alpha_out == nullptr || radius <= 0 || eps <= 0) {
        set_error(err, err_len, "invalid argument");
        return PR_ERR_ARG;
    }
    return guarded(err, err_len, [&] {
        cv::Mat img(h, w, CV_8UC3, rgb, static_cast<size_t>(stride));
        cv::Mat img_f;
        img.convertTo(img_f, CV_32FC3, 1.0 / 255.0);
        cv::Mat grey;
        cv::cvtColor(img_f, grey, cv::COLOR_RGB2GRAY);
        cv::Mat coarse(h, w, CV_8UC1, const_cast<uint8_t*>(coarse_mask));
        cv::Mat p;
        coarse.convertTo(p, CV_32F, 1.0 / 255.0);

        cv::Mat alpha = guided_filter(grey, p, radius, eps);
        // Stretch so that nearly-certain pixels become exactly 0 or 1 (no grey veil on the wall).
        alpha = (alpha - 0.08) / 0.84;
        cv::min(alpha, 1.0, alpha);
        cv::max(alpha, 0.0, alpha);

        // Local background estimate: average of clearly-background pixels around each pixel.
        cv::Mat bg_weight;
        cv::threshold(1.0 - alpha, bg_weight, 0.9, 1.0, cv::THRESH_BINARY);
        const int br = std::max(3, radius * 3);
        cv::Mat bg_sum, w_sum;
        cv::Mat weight3;
        cv::merge(std::vector<cv::Mat>{bg_weight, bg_weight, bg_weight}, weight3);
        cv::boxFilter(img_f.mul(weight3), bg_sum, CV_32F, cv::Size(2 * br + 1, 2 * br + 1), cv::Point(-1, -1), false);
        cv::boxFilter(bg_weight, w_sum, CV_32F, cv::Size(2 * br + 1, 2 * br + 1), cv::Point(-1, -1), false);

        const cv::Vec3f new_bg(bg_r / 255.0f, bg_g / 255.0f, bg_b / 255.0f);
        cv::Mat out_alpha(h, w, CV_8UC1, alpha_out);
        for (int y = 0; y < h; ++y) {
            auto* px = img.ptr<cv::Vec3b>(y);
            const auto* f = img_f.ptr<cv::Vec3f>(y);
            const float* a = alpha.ptr<float>(y);
            const auto* bs = bg_sum.ptr<cv::Vec3f>(y);
            const float* ws = w_sum.ptr<float>(y);
            uint8_t* ao = out_alpha.ptr<uint8_t>(y);
            for (int x = 0; x < w; ++x) {
                const float al = a[x];
                cv::Vec3f fg = f[x];
                if (al < 0.98f && al > 0.02f && ws[x] > 0.5f) {
                    const cv::Vec3f old_bg = bs[x] / ws[x];
                    for (int c = 0; c < 3; ++c)
                        fg[c] = std::clamp((f[x][c] - (1.0f - al) * old_bg[c]) / al, 0.0f, 1.0f);
                }
                const cv::Vec3f o = fg * al + new_bg * (1.0f - al);
                for (int c = 0; c < 3; ++c) px[x][c] = cv::saturate_cast<uint8_t>(o[c] * 255.0f + 0.5f);
                ao[x] = cv::saturate_cast<uint8_t>(al * 255.0f + 0.5f);
            }
        }
        return PR_OK;
    });
}
